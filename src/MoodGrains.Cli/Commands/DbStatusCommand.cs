using MoodGrains.Storage;

namespace MoodGrains.Cli.Commands;

internal sealed class DbStatusCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["db", "status"];

    public string Summary => "list application migrations and when each was applied [--postgres CONN]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var connectionString = CliArgs.Parse(args, "moodgrains db status [--postgres CONN]", ["--postgres"], []).Postgres();

        var status = await DatabaseMigrator.StatusAsync(connectionString, cancellationToken);
        foreach (var migration in status)
        {
            Console.WriteLine($"{migration.Version:D4}  {migration.Name,-24} {(migration.AppliedAt is { } at ? at.ToString("u") : "pending")}");
        }

        var pending = status.Count(s => s.AppliedAt is null);
        Console.WriteLine(pending == 0 ? "up to date" : $"{pending} pending: run 'moodgrains db migrate'");
        return 0;
    }
}
