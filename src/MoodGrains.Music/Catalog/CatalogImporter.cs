using System.Text;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Catalog;

/// <summary>A row that was not stored, and why. Line numbers count the header as line 1.</summary>
public sealed record ImportIssue(int Line, string Reason);

public sealed record ImportProgress(int RowsRead, long BytesRead, long TotalBytes);

/// <summary>The outcome of one import: every data row is counted in exactly one of the four totals.</summary>
public sealed record ImportReport(
    CatalogCsvLayout Layout,
    int Rows,
    int Inserted,
    int Updated,
    IReadOnlyList<ImportIssue> Rejected,
    IReadOnlyList<ImportIssue> Conflicts);

/// <summary>Streams a catalogue CSV into PostgreSQL in batches, validating every row and reporting each one it could not store.</summary>
public sealed class CatalogImporter(TrackRepository tracks)
{
    public const int BatchSize = 500;

    private readonly TrackRepository _tracks = tracks;

    public async Task<ImportReport> ImportFileAsync(string path, CatalogCsvLayout layout, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await ImportAsync(reader, layout, progress, () => (stream.Position, stream.Length), cancellationToken);
    }

    public async Task<ImportReport> ImportAsync(
        TextReader reader, CatalogCsvLayout layout, IProgress<ImportProgress>? progress, Func<(long Read, long Total)>? position, CancellationToken cancellationToken)
    {
        CatalogCsvFormat? format = null;
        var rows = 0;
        var inserted = 0;
        var updated = 0;
        var rejected = new List<ImportIssue>();
        var conflicts = new List<ImportIssue>();
        var batch = new List<CatalogCsvRow>(BatchSize);

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var results = await _tracks.UpsertAsync(batch.Select(r => r.Track!).ToArray(), cancellationToken);
            for (var i = 0; i < results.Count; i++)
            {
                switch (results[i].Outcome)
                {
                    case UpsertOutcome.Inserted:
                        inserted++;
                        break;
                    case UpsertOutcome.Updated:
                        updated++;
                        break;
                    default:
                        var t = batch[i].Track!;
                        conflicts.Add(new ImportIssue(batch[i].Line,
                            $"'{t.Title}' by {t.Artists[0]} ({t.SpotifyId}) is already in the catalogue as track {results[i].TrackId} with another Spotify id; not imported"));
                        break;
                }
            }

            batch.Clear();
            var (read, total) = position?.Invoke() ?? (0, 0);
            progress?.Report(new ImportProgress(rows, read, total));
        }

        foreach (var (line, fields) in CsvReader.Read(reader))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (format is null)
            {
                format = CatalogCsvFormat.Create(fields, layout);
                continue;
            }

            if (fields is [""])
            {
                // A blank line (often the last one) is not a row.
                continue;
            }

            rows++;
            var row = format.Parse(line, fields);
            if (row.Track is null)
            {
                rejected.Add(new ImportIssue(line, row.Rejection!));
                continue;
            }

            batch.Add(row);
            if (batch.Count == BatchSize)
            {
                await FlushAsync();
            }
        }

        if (format is null)
        {
            throw new FormatException("The file is empty: no header line.");
        }

        await FlushAsync();
        return new ImportReport(format.Layout, rows, inserted, updated, rejected, conflicts);
    }
}
