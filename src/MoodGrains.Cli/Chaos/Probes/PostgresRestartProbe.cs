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

        var calls = new FaultCalls(cluster, code, GiveUp, cancellationToken);
        await calls.AddTrackAsync(member, "member AddTrack", tracks[1]);
        await calls.AddTrackAsync(host, "host AddTrack", tracks[2]);
        await calls.CallAsync("newcomer JoinRoom", ct => newcomer.JoinAsync(code, "Newcomer", ct));
        await calls.SetManualMoodAsync(member, "member SetManualMood", "sad");

        var room = await host.ReadRoomAsync(code, cancellationToken);
        var copies = tracks.Select(room.ChosenCopies).ToArray();
        var members = room.MemberIds.Count;
        var held = calls.Failed.Count == 0 && calls.SlowestMs <= MaxCallMs && copies.All(c => c == 1) && members == 3;
        return new ProbeOutcome(
            $"after the restart: {calls.Summary}; copies of each track {string.Join("/", copies)}, {members} members",
            held);
    }
}
