namespace MoodGrains.Cli;

/// <summary>
/// A mistake in how a command was called; the dispatcher prints "error: ..." and "usage: ..." and exits with code 2.
/// </summary>
internal sealed class UsageException(string message, string usage) : Exception(message)
{
    public string Usage { get; } = usage;
}
