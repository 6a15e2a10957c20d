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

        var calls = new FaultCalls(cluster, code, GiveUp, cancellationToken);
        await cluster.Redis.StopAsync();
        try
        {
            await calls.AddTrackAsync(host, "host AddTrack", tracks[0]);
            await calls.AddTrackAsync(member, "member AddTrack", tracks[1]);
            await calls.SetManualMoodAsync(member, "member SetManualMood", "happy");
            await calls.AddTrackAsync(host, "host AddTrack", tracks[2]);
        }
        finally
        {
            await cluster.Redis.StartAgainAsync();
        }

        var room = await host.ReadRoomAsync(code, cancellationToken);
        var copies = tracks.Select(t => room.ChosenCopies(t)).ToArray();
        var held = calls.Failed.Count == 0 && calls.SlowestMs <= MaxCallMs && copies.All(c => c == 1);
        return new ProbeOutcome($"with Redis down: {calls.Summary}; copies of each added track: {string.Join("/", copies)}", held);
    }
}
