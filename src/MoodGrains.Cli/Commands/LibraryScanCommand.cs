using System.Text.Json;
using MoodGrains.Music.Library;
using MoodGrains.Storage;
using MoodGrains.Storage.Catalog;
using Npgsql;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// <c>moodgrains library scan DIR [--postgres CS] [--json]</c>: imports a folder of audio files into the catalogue
/// (<see cref="LibraryScanner"/>) and reports what was imported, updated, unchanged and skipped, with reasons.
/// </summary>
internal sealed class LibraryScanCommand : ICliCommand
{
    private const string UsageText = "moodgrains library scan DIR [--postgres CONNECTION] [--json]";

    public IReadOnlyList<string> Path { get; } = ["library", "scan"];

    public string Summary => "import a folder of music (MP3, Ogg/Opus, FLAC, M4A, WAV) into the catalogue, with analysed features";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText, ["--postgres"], ["--json"], positional: true);
        var directory = parsed.Positional.Count switch
        {
            0 => throw parsed.Fail("DIR is missing"),
            1 => parsed.Positional[0],
            _ => throw parsed.Fail("give exactly one DIR"),
        };
        if (!Directory.Exists(directory))
        {
            throw parsed.Fail($"{directory} is not a folder");
        }

        var connectionString = parsed.Postgres();
        await DatabaseMigrator.MigrateAsync(connectionString, cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var scanner = new LibraryScanner(new LibraryRepository(dataSource, new TrackRepository(dataSource)), LibraryAnalyzeCommand.CreateAnalyzer());
        var interactive = !Console.IsErrorRedirected;
        var report = await scanner.ScanAsync(directory, new Bar(interactive), cancellationToken);
        if (interactive)
        {
            Console.Error.WriteLine();
        }

        if (parsed.Has("--json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                root = report.Root,
                found = report.Found,
                imported = report.Imported,
                updated = report.Updated,
                unchanged = report.Unchanged,
                skipped = report.Skipped.Select(s => new { path = s.RelativePath, reason = s.Reason }),
                ignored = report.Ignored,
                removed = report.Removed,
                elapsed_s = Math.Round(report.Elapsed.TotalSeconds, 2),
            }, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Console.WriteLine($"{report.Root}: {report.Found} audio files in {report.Elapsed.TotalSeconds:0.0} s");
            Console.WriteLine($"  imported  {report.Imported}");
            Console.WriteLine($"  updated   {report.Updated}");
            Console.WriteLine($"  unchanged {report.Unchanged}");
            Console.WriteLine($"  skipped   {report.Skipped.Count}");
            foreach (var skipped in report.Skipped)
            {
                Console.WriteLine($"    {skipped.RelativePath}: {skipped.Reason}");
            }

            Console.WriteLine($"  not audio {report.Ignored} (ignored), removed {report.Removed} stored files no longer present");
        }

        return 0;
    }

    /// <summary>"n/N path" on stderr: one redrawn line on a terminal, one line per file otherwise.</summary>
    private sealed class Bar(bool interactive) : IProgress<LibraryScanProgress>
    {
        private const int Width = 30;

        public void Report(LibraryScanProgress value)
        {
            if (interactive)
            {
                var filled = value.Total == 0 ? Width : value.Done * Width / value.Total;
                var name = value.RelativePath.Length > 40 ? "…" + value.RelativePath[^39..] : value.RelativePath;
                Console.Error.Write($"\r[{new string('#', filled)}{new string('-', Width - filled)}] {value.Done}/{value.Total} {name,-40}");
            }
            else if (value.Done < value.Total)
            {
                Console.Error.WriteLine($"[{value.Done + 1}/{value.Total}] {value.RelativePath}");
            }
        }
    }
}
