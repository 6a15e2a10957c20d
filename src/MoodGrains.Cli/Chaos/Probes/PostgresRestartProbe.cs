using System.Text.Json;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// PostgreSQL is restarted (<c>pg_ctl stop -m fast</c>, then started on the same data) under a room in use; the
/// members' next calls come right after it is back.
/// </summary>
internal sealed class PostgresRestartProbe : ChaosProbe
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(20);
    private const double MaxCallMs = 10_000;

    public override string Name => "PostgreSQL restart mid-session";

    public override string Expected => $"the next calls succeed (each within {MaxCallMs / 1000:F0} s); tracks and members from before and after are all there, once";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        await using var host = await cluster.MemberAsync(cluster.A, cancellationToken);
        var code = (await host.CreateRoomAsync("Host", cancellationToken)).Code;
        await using var member = await cluster.MemberAsync(cluster.B, cancellationToken);
        await member.JoinAsync(code, "Member", cancellationToken);
        var tracks = cluster.TrackIds.Skip(40).Take(3).ToArray();
        await host.RoomAsync("AddTrack", cancellationToken, code, tracks[0]);
        cluster.Ledger.TrackAdded(code, tracks[0], host.UserId, accepted: true);
        await using var newcomer = await cluster.MemberAsync(cluster.B, cancellationToken);

        await cluster.Postgres.RestartAsync();

        var calls = new List<(string What, string? Error, double Ms)>();
        async Task CallAsync(string what, Func<CancellationToken, Task> call, ChaosGuest? adder = null, long? track = null)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(GiveUp);
            var (_, error, ms) = await ChaosGuest.TimedAsync(async () =>
            {
                await call(limit.Token);
                return true;
            });
            calls.Add((what, error, ms));
            if (adder is not null && track is { } t)
            {
                cluster.Ledger.TrackAdded(code, t, adder.UserId, accepted: error is null);
            }
        }

        await CallAsync("member AddTrack", ct => member.RoomAsync("AddTrack", ct, code, tracks[1]), member, tracks[1]);
        await CallAsync("host AddTrack", ct => host.RoomAsync("AddTrack", ct, code, tracks[2]), host, tracks[2]);
        await CallAsync("newcomer JoinRoom", ct => newcomer.JoinAsync(code, "Newcomer", ct));
        await CallAsync("member SetManualMood", ct => member.InvokeAsync<JsonElement>("SetManualMood", ct, "sad"));

        var room = await host.ReadRoomAsync(code, cancellationToken);
        var copies = tracks.Select(room.ChosenCopies).ToArray();
        var members = room.MemberIds.Count;
        var failed = calls.Where(c => c.Error is not null).ToList();
        var slowest = calls.Max(c => c.Ms);
        var held = failed.Count == 0 && slowest <= MaxCallMs && copies.All(c => c == 1) && members == 3;
        return new ProbeOutcome(
            $"after the restart: {string.Join(", ", calls.Select(c => $"{c.What} {(c.Error is null ? $"{c.Ms:F0} ms" : "FAILED")}"))}" +
            (failed.Count > 0 ? $" ('{failed[0].Error}')" : string.Empty) +
            $"; copies of each track {string.Join("/", copies)}, {members} members",
            held);
    }
}
