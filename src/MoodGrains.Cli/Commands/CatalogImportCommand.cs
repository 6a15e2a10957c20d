using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MoodGrains.Music.Catalog;
using MoodGrains.Storage;
using MoodGrains.Storage.Catalog;
using Npgsql;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// <c>moodgrains catalog import FILE [--format auto|moods|playlist|demo] [--postgres CS] [--report FILE] [--json]</c>:
/// upserts a catalogue CSV, listing every row it could not store.
/// </summary>
internal sealed class CatalogImportCommand : ICliCommand
{
    private const int ListedIssues = 50;

    public IReadOnlyList<string> Path { get; } = ["catalog", "import"];

    public string Summary => "import a catalogue CSV (Spotify feature exports or the demo layout) into PostgreSQL";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, "moodgrains catalog import FILE [--format auto|moods|playlist|demo] [--postgres CONNECTION] [--report FILE] [--json]",
            ["--format", "--postgres", "--report"], ["--json"], positional: true);
        var layout = CatalogCsvLayout.Auto;
        if (parsed.Value("--format") is { } format && (!Enum.TryParse(format, ignoreCase: true, out layout) || !Enum.IsDefined(layout)))
        {
            throw parsed.Fail($"unknown format '{format}'");
        }

        var file = parsed.Positional.Count switch
        {
            0 => throw parsed.Fail("FILE is missing"),
            1 => parsed.Positional[0],
            _ => throw parsed.Fail("only one FILE can be imported at a time"),
        };
        if (!File.Exists(file))
        {
            throw parsed.Fail($"{file} does not exist");
        }

        var connectionString = parsed.Postgres();
        var reportPath = parsed.Value("--report");
        var json = parsed.Has("--json");

        // The tables must exist; migrations are idempotent and serialised, so applying them here is harmless.
        await DatabaseMigrator.MigrateAsync(connectionString, cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var importer = new CatalogImporter(new TrackRepository(dataSource));
        var bar = new ProgressPrinter(interactive: !Console.IsErrorRedirected);
        var stopwatch = Stopwatch.StartNew();
        ImportReport report;
        try
        {
            report = await importer.ImportFileAsync(file, layout, bar, cancellationToken);
        }
        catch (FormatException e)
        {
            bar.Finish();
            Console.Error.WriteLine($"error: {file}: {e.Message}");
            return 1;
        }

        bar.Finish();
        var issues = report.Rejected.Select(i => (Kind: "rejected", i.Line, i.Reason))
            .Concat(report.Conflicts.Select(i => (Kind: "conflict", i.Line, i.Reason)))
            .OrderBy(i => i.Line).ToArray();
        if (reportPath is not null)
        {
            await File.WriteAllLinesAsync(reportPath,
                ["line\tkind\treason", .. issues.Select(i => $"{i.Line}\t{i.Kind}\t{i.Reason}")], cancellationToken);
        }

        if (json)
        {
            WriteJson(file, report, issues, stopwatch.Elapsed);
        }
        else
        {
            WriteText(file, report, issues, reportPath, stopwatch.Elapsed);
        }

        return 0;
    }

    private static void WriteText(string file, ImportReport report, (string Kind, int Line, string Reason)[] issues, string? reportPath, TimeSpan elapsed)
    {
        Console.WriteLine($"{file} ({report.Layout} layout): {report.Rows} rows in {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        Console.WriteLine($"  inserted   {report.Inserted}");
        Console.WriteLine($"  updated    {report.Updated}  (already in the catalogue: same Spotify id, or same title and first artist)");
        Console.WriteLine($"  rejected   {report.Rejected.Count}  (invalid values)");
        Console.WriteLine($"  conflicts  {report.Conflicts.Count}  (same title and first artist as a stored track with another Spotify id)");
        if (issues.Length == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("rows not imported:");
        var listed = reportPath is null ? issues : issues.Take(ListedIssues).ToArray();
        foreach (var (kind, line, reason) in listed)
        {
            Console.WriteLine($"  line {line}: {kind}: {reason}");
        }

        if (reportPath is not null)
        {
            if (listed.Length < issues.Length)
            {
                Console.WriteLine($"  ... {issues.Length - listed.Length} more");
            }

            Console.WriteLine($"full list: {reportPath}");
        }
    }

    private static void WriteJson(string file, ImportReport report, (string Kind, int Line, string Reason)[] issues, TimeSpan elapsed)
    {
        using var stdout = Console.OpenStandardOutput();
        using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("file", file);
        writer.WriteString("layout", report.Layout.ToString().ToLowerInvariant());
        writer.WriteNumber("rows", report.Rows);
        writer.WriteNumber("inserted", report.Inserted);
        writer.WriteNumber("updated", report.Updated);
        writer.WriteNumber("rejected", report.Rejected.Count);
        writer.WriteNumber("conflicts", report.Conflicts.Count);
        writer.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 2));
        writer.WriteStartArray("issues");
        foreach (var (kind, line, reason) in issues)
        {
            writer.WriteStartObject();
            writer.WriteNumber("line", line);
            writer.WriteString("kind", kind);
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        stdout.WriteByte((byte)'\n');
    }

    /// <summary>A bar redrawn in place on a terminal; plain lines when stderr is a file or pipe (CI logs).</summary>
    private sealed class ProgressPrinter(bool interactive) : IProgress<ImportProgress>
    {
        private const int Width = 30;
        private bool _drawn;

        public void Report(ImportProgress value)
        {
            var fraction = value.TotalBytes > 0 ? Math.Clamp((double)value.BytesRead / value.TotalBytes, 0, 1) : 0;
            var percent = (fraction * 100).ToString("0", CultureInfo.InvariantCulture);
            if (interactive)
            {
                var filled = (int)Math.Round(fraction * Width);
                Console.Error.Write($"\r[{new string('#', filled)}{new string('-', Width - filled)}] {percent,3}%  {value.RowsRead} rows");
                _drawn = true;
            }
            else
            {
                Console.Error.WriteLine($"progress: {value.RowsRead} rows ({percent}%)");
            }
        }

        public void Finish()
        {
            if (_drawn)
            {
                Console.Error.WriteLine();
                _drawn = false;
            }
        }
    }
}
