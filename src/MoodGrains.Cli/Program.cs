using MoodGrains.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var match = CommandTable.Commands
    .Where(c => c.Path.Count <= args.Length && c.Path.Select((word, i) => string.Equals(word, args[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
    .OrderByDescending(c => c.Path.Count)
    .FirstOrDefault();

if (match is null)
{
    Console.Error.WriteLine(args.Length == 0 ? "usage: moodgrains <command> [options]" : $"unknown command: {string.Join(' ', args)}");
    Console.Error.WriteLine();
    Console.Error.WriteLine("commands:");
    foreach (var command in CommandTable.Commands.OrderBy(c => string.Join(' ', c.Path), StringComparer.Ordinal))
    {
        Console.Error.WriteLine($"  {string.Join(' ', command.Path),-20} {command.Summary}");
    }

    return 2;
}

try
{
    return await match.RunAsync(args.Skip(match.Path.Count).ToArray(), cancellation.Token);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine($"usage: {e.Usage}");
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
