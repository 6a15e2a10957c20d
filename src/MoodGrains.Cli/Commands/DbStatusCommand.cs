namespace MoodGrains.Cli.Commands;

internal sealed class DbStatusCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["db", "status"];

    public string Summary => "show which migrations are applied";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) => throw new NotImplementedException();
}
