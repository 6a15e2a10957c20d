using MoodGrains.Cli.Chaos;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// The chaos and abuse suite: starts a private two-silo cluster (PostgreSQL, Redis, a Spotify stand-in), tries every
/// probe against it and prints one row per probe (probe, expected, observed, held). Exits 1 when any row does not hold.
/// </summary>
internal sealed class ChaosCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["chaos"];

    public string Summary => "abuse and fault probes against a private two-silo cluster; a table of what held [--json]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, "moodgrains chaos [--json]", [], ["--json"]);
        var rows = await ChaosSuite.RunAsync(message => Console.Error.WriteLine($"chaos: {message}"), cancellationToken);
        Console.Write(parsed.Has("--json") ? ChaosReport.Json(rows) + Environment.NewLine : ChaosReport.Table(rows));
        return rows.All(r => r.Held) ? 0 : 1;
    }
}
