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
        string? file = null;
        string? reportPath = null;
        var connectionString = Environment.GetEnvironmentVariable("MOODGRAINS_POSTGRES");
        var layout = CatalogCsvLayout.Auto;
        var json = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--format" when i + 1 < args.Count:
                    if (!Enum.TryParse(args[++i], ignoreCase: true, out layout) || !Enum.IsDefined(layout))
                    {
                        return Usage($"unknown format '{args[i]}'");
                    }

                    break;
                case "--postgres" when i + 1 < args.Count:
                    connectionString = args[++i];
                    break;
                case "--report" when i + 1 < args.Count:
                    reportPath = args[++i];
                    break;
                case "--json":
                    json = true;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return Usage($"unknown or incomplete option '{option}'");
                default:
                    if (file is not null)
                    {
                        return Usage("only one FILE can be imported at a time");
                    }

                    file = args[i];
                    break;
            }
        }

        if (file is null)
        {
            return Usage("FILE is missing");
        }

        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"error: {file} does not exist");
            return 2;
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return Usage("no database: set MOODGRAINS_POSTGRES or pass --postgres \"Host=...;Username=...;Database=...\"");
        }

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

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"error: {problem}");
        Console.Error.WriteLine("usage: moodgrains catalog import FILE [--format auto|moods|playlist|demo] [--postgres CONNECTION] [--report FILE] [--json]");
        return 2;
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
