using Microsoft.Extensions.Options;
using MoodGrains.Music.Library;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Server.Library;

/// <summary>
/// Scans <c>MoodGrains:Library:Directory</c> once when the server starts, in the background: the server answers
/// requests meanwhile, and a failed scan is logged, never fatal. Silos starting together take turns on the
/// catalogue lock, so the second one finds every file unchanged.
/// </summary>
public sealed partial class LibraryScanService(
    IOptions<LibraryOptions> options,
    LibraryScanner scanner,
    TrackRepository tracks,
    ILogger<LibraryScanService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value is not { ScanOnStart: true, Directory: { Length: > 0 } root })
        {
            return;
        }

        // Off the start-up path: ExecuteAsync runs synchronously up to its first await.
        await Task.Yield();
        try
        {
            await using var _ = await tracks.LockCatalogAsync(stoppingToken);
            LogScanStarting(root);
            var lastLogged = 0;
            var progress = new InlineProgress(p =>
            {
                if (p.Done - lastLogged >= 10 || (p.Done == p.Total && p.Done != lastLogged))
                {
                    lastLogged = p.Done;
                    LogScanProgress(p.Done, p.Total);
                }
            });
            var report = await scanner.ScanAsync(root, progress, stoppingToken);
            LogScanFinished(report.Root, report.Found, report.Imported, report.Updated, report.Unchanged, report.Skipped.Count, report.Removed,
                report.Elapsed.TotalSeconds);
            foreach (var skipped in report.Skipped)
            {
                LogSkipped(skipped.RelativePath, skipped.Reason);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogScanFailed(e, root);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scanning the music library {Root}")]
    private partial void LogScanStarting(string root);

    [LoggerMessage(Level = LogLevel.Information, Message = "Library scan: {Done}/{Total} files")]
    private partial void LogScanProgress(int done, int total);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Library {Root} scanned: {Found} audio files, {Imported} imported, {Updated} updated, {Unchanged} unchanged, {Skipped} skipped, {Removed} removed, in {Seconds:0.0} s")]
    private partial void LogScanFinished(string root, int found, int imported, int updated, int unchanged, int skipped, int removed, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Library file {RelativePath} skipped: {Reason}")]
    private partial void LogSkipped(string relativePath, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scanning the music library {Root} failed; rooms play what the catalogue already has")]
    private partial void LogScanFailed(Exception exception, string root);

    /// <summary>Reports on the scanning thread, in order.</summary>
    private sealed class InlineProgress(Action<LibraryScanProgress> report) : IProgress<LibraryScanProgress>
    {
        public void Report(LibraryScanProgress value) => report(value);
    }
}
