using Microsoft.Extensions.Logging;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Catalog;

/// <summary>
/// Fills an empty catalogue with the demo catalogue shipped beside the binaries, so a fresh install
/// can run solo and party sessions without any Spotify credentials.
/// </summary>
public sealed partial class DemoCatalogSeeder(CatalogImporter importer, TrackRepository tracks, ILogger<DemoCatalogSeeder> logger)
{
    private readonly CatalogImporter _importer = importer;
    private readonly TrackRepository _tracks = tracks;
    private readonly ILogger<DemoCatalogSeeder> _logger = logger;

    /// <summary>The shipped file: Catalog/demo-catalog.csv in the application folder.</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "Catalog", "demo-catalog.csv");

    /// <summary>Imports the demo catalogue when <c>tracks</c> is empty; returns the report, or null when there was nothing to do.</summary>
    public async Task<ImportReport?> SeedIfEmptyAsync(CancellationToken cancellationToken) => await SeedIfEmptyAsync(DefaultPath, cancellationToken);

    public async Task<ImportReport?> SeedIfEmptyAsync(string path, CancellationToken cancellationToken)
    {
        await using var catalogLock = await _tracks.LockCatalogAsync(cancellationToken);
        var count = await _tracks.CountAsync(cancellationToken);
        if (count > 0)
        {
            LogSkipped(_logger, count);
            return null;
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException("The demo catalogue is missing from the application folder.", path);
        }

        var report = await _importer.ImportFileAsync(path, CatalogCsvLayout.Demo, null, cancellationToken);
        LogSeeded(_logger, report.Inserted, report.Rejected.Count + report.Conflicts.Count, path);
        foreach (var issue in report.Rejected.Concat(report.Conflicts))
        {
            LogIssue(_logger, issue.Line, issue.Reason);
        }

        return report;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The catalogue holds {Count} tracks; the demo catalogue is not imported")]
    private static partial void LogSkipped(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Inserted} demo tracks ({Issues} rows not imported) from {Path}")]
    private static partial void LogSeeded(ILogger logger, int inserted, int issues, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo catalogue line {Line}: {Reason}")]
    private static partial void LogIssue(ILogger logger, int line, string reason);
}
