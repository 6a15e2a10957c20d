namespace MoodGrains.Cli.Chaos;

/// <summary>What one probe saw, in words a reader of the table can check, and whether the expectation held.</summary>
internal sealed record ProbeOutcome(string Observed, bool Held);

/// <summary>One row of the chaos table.</summary>
internal sealed record ChaosRow(string Probe, string Expected, string Observed, bool Held);

/// <summary>
/// One attack or fault, tried against the private cluster: its name and the behaviour a careful public service has
/// (the table's "expected" column), and a run that reports what actually happened. A probe leaves the cluster usable
/// for the probes after it and tells the <see cref="ChaosLedger"/> what it changed that must persist.
/// </summary>
internal abstract class ChaosProbe
{
    public abstract string Name { get; }

    public abstract string Expected { get; }

    public abstract Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken);
}
