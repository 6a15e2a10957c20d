using MoodGrains.Audio.Demo;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// Composes, renders and encodes the demo library (<see cref="DemoLibrary"/>): instrumental pieces across the four
/// mood regions, with a manifest recording the tempo, key, mode and mood each was composed for.
/// </summary>
internal sealed class LibraryMakeDemoCommand : ICliCommand
{
    private const string UsageText = "moodgrains library make-demo [--out DIR] [--count N] [--seed N]";

    public IReadOnlyList<string> Path { get; } = ["library", "make-demo"];

    public string Summary => "compose and render the demo music library (MIDI -> FluidSynth -> Opus) with its manifest";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText, ["--out", "--count", "--seed"], []);
        var directory = parsed.Value("--out") ?? DefaultDirectory();
        var count = parsed.Int("--count", DemoLibrary.DefaultCount, min: 1);
        var seed = parsed.Int("--seed", DemoLibrary.DefaultSeed);
        if (DemoLibrary.MissingTools() is { } missing)
        {
            Console.Error.WriteLine($"error: missing {missing}");
            return 1;
        }

        await MakeAsync(directory, count, seed, cancellationToken);
        Console.WriteLine($"{count} pieces and {DemoLibrary.ManifestFile} in {System.IO.Path.GetFullPath(directory)}");
        return 0;
    }

    /// <summary>Renders with an "n/N title" progress line on stderr.</summary>
    internal static Task<IReadOnlyList<DemoTrack>> MakeAsync(string directory, int count, int seed, CancellationToken cancellationToken) =>
        DemoLibrary.MakeAsync(directory, count, seed,
            new SyncProgress<(int Done, int Total, string Title)>(p => Console.Error.WriteLine($"[{p.Done}/{p.Total}] {p.Title}")),
            cancellationToken);

    /// <summary>
    /// .data/library/demo under the repository (found by walking up to MoodGrains.sln, as run.sh keeps its data there),
    /// or under the working directory when run elsewhere; MOODGRAINS_DATA moves the .data folder.
    /// </summary>
    internal static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable("MOODGRAINS_DATA") is { Length: > 0 } data)
        {
            return System.IO.Path.Combine(data, "library", "demo");
        }

        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MoodGrains.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, ".data", "library", "demo");
            }
        }

        return System.IO.Path.Combine(".data", "library", "demo");
    }

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool and may reorder lines).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
