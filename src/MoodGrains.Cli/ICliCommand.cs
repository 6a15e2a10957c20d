namespace MoodGrains.Cli;

/// <summary>One CLI verb, e.g. "eval fer" or "bench vision".</summary>
internal interface ICliCommand
{
    /// <summary>The words that select this command, e.g. ["eval", "fer"].</summary>
    IReadOnlyList<string> Path { get; }

    string Summary { get; }

    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}
