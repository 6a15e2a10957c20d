namespace MoodGrains.Cli.Commands;

internal sealed class DbMigrateCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["db", "migrate"];

    public string Summary => "apply the Orleans schema and application migrations to MOODGRAINS_POSTGRES";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) => throw new NotImplementedException();
}
