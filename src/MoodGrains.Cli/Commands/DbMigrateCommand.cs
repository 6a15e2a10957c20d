using MoodGrains.Storage;

namespace MoodGrains.Cli.Commands;

internal sealed class DbMigrateCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["db", "migrate"];

    public string Summary => "apply the Orleans schema and application migrations [--postgres CONN]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var connectionString = CliArgs.Parse(args, "moodgrains db migrate [--postgres CONN]", ["--postgres"], []).Postgres();

        await OrleansSchema.ApplyAsync(connectionString, cancellationToken);
        var applied = await DatabaseMigrator.MigrateAsync(connectionString, cancellationToken);
        Console.WriteLine(applied.Count == 0
            ? "schema is up to date"
            : $"applied {applied.Count} migration(s): {string.Join(", ", applied.Select(m => $"{m.Version:D4} {m.Name}"))}");
        return 0;
    }
}
