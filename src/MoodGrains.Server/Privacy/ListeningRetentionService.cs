using Microsoft.Extensions.Options;
using MoodGrains.Storage.Listening;

namespace MoodGrains.Server.Privacy;

/// <summary>
/// Reduces plays older than <see cref="RetentionOptions.EmotionProbabilities"/> to their mood point, at start-up and
/// then every <see cref="RetentionOptions.Interval"/>. Every silo runs it: the update is idempotent, and a silo that
/// finds nothing left to reduce costs one indexed query. A failed run is logged and tried again next interval.
/// </summary>
public sealed partial class ListeningRetentionService(
    ListeningEventRepository repository,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<ListeningRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: ExecuteAsync runs synchronously up to its first await.
        await Task.Yield();
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One pass; returns how many plays it reduced (0 after a failure, which is logged).</summary>
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        var period = options.Value.EmotionProbabilities;
        try
        {
            var reduced = await repository.ReduceToMoodPointAsync(clock.GetUtcNow() - period, cancellationToken: cancellationToken);
            if (reduced > 0)
            {
                LogReduced(reduced, period.TotalDays);
            }

            return reduced;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e)
        {
            LogFailed(e);
            return 0;
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Count} play(s) older than {Days:0.##} days reduced to their mood point")]
    private partial void LogReduced(long count, double days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: reducing old plays failed; trying again next interval")]
    private partial void LogFailed(Exception exception);
}
