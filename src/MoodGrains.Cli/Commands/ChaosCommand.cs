using MoodGrains.Cli.Chaos;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// The chaos and abuse suite: starts a private two-silo cluster (PostgreSQL, Redis, a Spotify stand-in), tries every
/// probe against it and prints one row per probe (probe, expected, observed, held). Exits 1 when any row does not hold.
/// </summary>
internal sealed class ChaosCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["chaos"];

    public string Summary => "abuse and fault probes against a private two-silo cluster; a table of what held [--probe TEXT] [--json]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, "moodgrains chaos [--probe TEXT[|TEXT...]] [--json]", ["--probe"], ["--json"]);
        var only = parsed.Value("--probe");
        if (only is not null && !ChaosSuite.Probes.Any(p => ChaosSuite.Named(p.Name, only)))
        {
            throw parsed.Fail($"no probe is named like '{only}'; the probes are: {string.Join(", ", ChaosSuite.Probes.Select(p => p.Name))}");
        }

        // --probe re-checks one fix quickly; the table checks still run over what that probe did.
        var rows = await ChaosSuite.RunAsync(message => Console.Error.WriteLine($"chaos: {message}"), cancellationToken, only);
        Console.Write(parsed.Has("--json") ? ChaosReport.Json(rows) + Environment.NewLine : ChaosReport.Table(rows));
        return rows.All(r => r.Held) ? 0 : 1;
    }
}
