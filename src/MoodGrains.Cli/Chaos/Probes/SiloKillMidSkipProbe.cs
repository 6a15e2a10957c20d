using Microsoft.AspNetCore.SignalR;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// The host presses skip in a room that lives on silo A (the host's connection is on silo B), and silo A is killed
/// with SIGKILL a moment later, while the skip is on its way or being applied. Silo A stays dead; later probes use B.
/// </summary>
internal sealed class SiloKillMidSkipProbe : ChaosProbe
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);

    public override string Name => "silo kill -9 mid-skip";

    public override string Expected => "the skip call succeeds and exactly one skip happens: the next track plays, one skipped play logged";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        var (host, code) = await cluster.RoomOnAsync(cluster.A, via: cluster.B, cancellationToken);
        await using var _ = host;
        await using var member = await cluster.MemberAsync(cluster.B, cancellationToken);
        await SetUpAsync(() => member.JoinAsync(code, "Member", cancellationToken));
        foreach (var track in cluster.TrackIds.Skip(50).Take(3))
        {
            await SetUpAsync(() => host.RoomAsync("AddTrack", cancellationToken, code, track));
            cluster.Ledger.TrackAdded(code, track, host.UserId, accepted: true);
        }

        var started = await SetUpAsync(() => host.RoomAsync("Play", cancellationToken, code));
        var order = new List<string> { started.NowPlaying!.EntryId };
        order.AddRange(started.Queue.Select(e => e.EntryId));

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(GiveUp);
        var skip = ChaosGuest.TimedAsync(() => host.RoomAsync("Skip", limit.Token, code));
        await Task.Delay(15, cancellationToken);
        cluster.A.Kill();
        var (_, error, ms) = await skip;

        var after = await ReadAsync(host, code, cancellationToken);
        var advanced = after.NowPlaying is { } now ? order.IndexOf(now.EntryId) : -1;
        cluster.Ledger.Skipped(code, Math.Max(0, advanced));
        var logged = await LoggedSkipsAsync(cluster, code, expected: Math.Max(0, advanced), cancellationToken);
        var held = error is null && advanced == 1 && logged == 1;
        return new ProbeOutcome(
            $"skip {(error is null ? $"answered in {ms:F0} ms" : "failed: " + error)}; " +
            (advanced < 0 ? "the playing track is not one of the queue's" : $"{advanced} skip(s) happened") +
            $", {logged} skipped play(s) logged",
            held);
    }

    /// <summary>A set-up call, tried again after a fault an earlier probe may have left (not this probe's subject).</summary>
    private static async Task<RoomView> SetUpAsync(Func<Task<RoomView>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (HubException) when (attempt < 3)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>The room through the surviving silo, waiting out the seconds in which the cluster notices the dead one.</summary>
    private static async Task<RoomView> ReadAsync(ChaosGuest host, string code, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + GiveUp;
        while (true)
        {
            try
            {
                return await host.ReadRoomAsync(code, cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    /// <summary>Distinct skipped plays of the room in listening_events, given a few seconds to be written.</summary>
    private static async Task<int> LoggedSkipsAsync(ChaosCluster cluster, string code, int expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var logged = await ChaosTables.SkippedPlaysAsync(cluster, code, cancellationToken);
            if (logged >= expected || DateTime.UtcNow > deadline)
            {
                return logged;
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
