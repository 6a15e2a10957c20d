using System.Text.Json;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// Redis dies (SIGKILL) under a room with members on both silos; the members go on adding tracks and picking moods.
/// Redis is started again (empty) afterwards.
/// </summary>
internal sealed class RedisDownMidSessionProbe : ChaosProbe
{
    private const double MaxCallMs = 2000;
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(5);

    public override string Name => "Redis down mid-session";

    public override string Expected => $"with Redis dead every call answers within {MaxCallMs:F0} ms and succeeds; each added track is queued exactly once";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        await using var host = await cluster.MemberAsync(cluster.A, cancellationToken);
        var code = (await host.CreateRoomAsync("Host", cancellationToken)).Code;
        await using var member = await cluster.MemberAsync(cluster.B, cancellationToken);
        await member.JoinAsync(code, "Member", cancellationToken);
        var tracks = cluster.TrackIds.Skip(30).Take(3).ToArray();

        var calls = new List<(string What, string? Error, double Ms)>();
        await cluster.Redis.StopAsync();
        try
        {
            async Task CallAsync(string what, ChaosGuest who, Func<CancellationToken, Task> call, long? track = null)
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(GiveUp);
                var (_, error, ms) = await ChaosGuest.TimedAsync(async () =>
                {
                    await call(limit.Token);
                    return true;
                });
                calls.Add((what, error, ms));
                if (track is { } t)
                {
                    cluster.Ledger.TrackAdded(code, t, who.UserId, accepted: error is null);
                }
            }

            await CallAsync("host AddTrack", host, ct => host.RoomAsync("AddTrack", ct, code, tracks[0]), tracks[0]);
            await CallAsync("member AddTrack", member, ct => member.RoomAsync("AddTrack", ct, code, tracks[1]), tracks[1]);
            await CallAsync("member SetManualMood", member, ct => member.InvokeAsync<JsonElement>("SetManualMood", ct, "happy"));
            await CallAsync("host AddTrack", host, ct => host.RoomAsync("AddTrack", ct, code, tracks[2]), tracks[2]);
        }
        finally
        {
            await cluster.Redis.StartAgainAsync();
        }

        var room = await host.ReadRoomAsync(code, cancellationToken);
        var copies = tracks.Select(t => room.ChosenCopies(t)).ToArray();
        var failed = calls.Where(c => c.Error is not null).ToList();
        var slowest = calls.Max(c => c.Ms);
        var held = failed.Count == 0 && slowest <= MaxCallMs && copies.All(c => c == 1);
        return new ProbeOutcome(
            $"{calls.Count} calls: {string.Join(", ", calls.Select(c => $"{c.Ms:F0} ms{(c.Error is null ? string.Empty : " failed")}"))}" +
            (failed.Count > 0 ? $" ('{failed[0].Error}')" : string.Empty) +
            $"; copies of each added track: {string.Join("/", copies)}",
            held);
    }
}
