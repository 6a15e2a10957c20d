using MoodGrains.Cli.Chaos.Probes;

namespace MoodGrains.Cli.Chaos;

/// <summary>
/// Runs every probe once, in an order that keeps each probe's faults from spilling into the next (the silo kill and
/// the session flood come last), then checks the tables. A probe that throws or hangs is a row that did not hold.
/// </summary>
internal static class ChaosSuite
{
    private static readonly TimeSpan ProbeBudget = TimeSpan.FromSeconds(120);

    public static IReadOnlyList<ChaosProbe> Probes { get; } =
    [
        new NonMemberReadProbe(),
        new RoomCodeScanProbe(),
        new KickRejoinProbe(),
        new VoteThroughJoinLeaveProbe(),
        new QueueFloodProbe(),
        new ManualMoodFloodProbe(),
        new SearchFloodProbe(),
        new JpegBombProbe(),
        new RandomFramesProbe(),
        new SpotifyOtherBrowserProbe(),
        new RedisDownMidSessionProbe(),
        new RedisDownAtStartProbe(),
        new PostgresRestartProbe(),
        new SiloKillMidSkipProbe(),
        new SessionFloodProbe(),
    ];

    /// <summary>Runs the probes (those whose name contains <paramref name="only"/>, when given), then the table checks.</summary>
    public static async Task<IReadOnlyList<ChaosRow>> RunAsync(Action<string> progress, CancellationToken cancellationToken, string? only = null)
    {
        await using var cluster = await ChaosCluster.StartAsync(progress, cancellationToken);
        var rows = new List<ChaosRow>();
        var checks = new (string Name, string Expected, Func<ChaosCluster, CancellationToken, Task<ProbeOutcome>> Run)[]
        {
            (ChaosTables.ListeningEventsName, ChaosTables.ListeningEventsExpected, ChaosTables.CheckListeningEventsAsync),
            (ChaosTables.RoomStateName, ChaosTables.RoomStateExpected, ChaosTables.CheckRoomStateAsync),
        };
        var all = Probes.Where(p => Named(p.Name, only)).Select(p => (p.Name, p.Expected, Run: (Func<ChaosCluster, CancellationToken, Task<ProbeOutcome>>)p.RunAsync)).Concat(checks).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            var (name, expected, run) = all[i];
            progress($"[{i + 1}/{all.Count}] {name}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var outcome = await RunOneAsync(run, cluster, cancellationToken);
            progress($"[{i + 1}/{all.Count}] {name}: {(outcome.Held ? "held" : "DID NOT HOLD")} ({clock.Elapsed.TotalSeconds:F1} s) {outcome.Observed}");
            rows.Add(new ChaosRow(name, expected, outcome.Observed, outcome.Held));
        }

        return rows;
    }

    private static async Task<ProbeOutcome> RunOneAsync(Func<ChaosCluster, CancellationToken, Task<ProbeOutcome>> run, ChaosCluster cluster, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(ProbeBudget);
        try
        {
            return await run(cluster, budget.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeOutcome($"probe did not finish within {ProbeBudget.TotalSeconds:F0} s", false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var text = ChaosGuest.ErrorText(e);
            return new ProbeOutcome($"probe failed: {text}", false);
        }
    }

    /// <summary>Whether a probe is among those asked for: any of the '|'-separated parts of its name, or all when none.</summary>
    public static bool Named(string name, string? only) =>
        only is null || only.Split('|', StringSplitOptions.RemoveEmptyEntries).Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));
}
