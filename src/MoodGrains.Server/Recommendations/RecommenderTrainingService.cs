using Microsoft.Extensions.Options;
using MoodGrains.Mood;
using MoodGrains.Recommendations.Content;
using MoodGrains.Recommendations.Hybrid;
using MoodGrains.Recommendations.Serving;
using MoodGrains.Server.Telemetry;
using MoodGrains.Storage.Listening;

namespace MoodGrains.Server.Recommendations;

/// <summary>
/// Trains a <see cref="RecommenderSnapshot"/> from PostgreSQL at start-up and then every
/// <see cref="RecommendationsOptions.RetrainInterval"/>, and publishes it through <see cref="RecommenderHolder"/>.
/// A failed run is logged and the previous model keeps serving.
/// </summary>
public sealed partial class RecommenderTrainingService(
    ListeningEventRepository repository,
    RecommenderHolder holder,
    IOptions<RecommendationsOptions> options,
    TimeProvider time,
    ILogger<RecommenderTrainingService> logger,
    MoodGrainsMetrics metrics) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetrainInterval, time);
        do
        {
            var started = time.GetTimestamp();
            try
            {
                var snapshot = await TrainOnceAsync(stoppingToken);
                metrics.RecommenderTrained(snapshot.Version, time.GetElapsedTime(started));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.RecommenderTrainingFailed(time.GetElapsedTime(started));
                LogTrainingFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Reads the catalogue and the plays in the history window, trains, and swaps the serving model.</summary>
    public async Task<RecommenderSnapshot> TrainOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var catalog = new List<CatalogTrack>();
        await foreach (var row in repository.ReadTracksAsync(cancellationToken))
        {
            catalog.Add(new CatalogTrack(row.TrackId, row.Artists.Count > 0 ? row.Artists[0] : "unknown artist",
                new TrackFeatures(row.Valence, row.Energy, row.Danceability, row.Acousticness, row.Tempo), row.Popularity, row.OnSpotify));
        }

        var since = settings.HistoryWindow is { } window ? time.GetUtcNow() - window : (DateTimeOffset?)null;
        var plays = new List<PlayEvent>();
        await foreach (var e in repository.ReadAsync(since, settings.ReadBatchSize, cancellationToken))
        {
            plays.Add(new PlayEvent(e.UserId, e.TrackId, PlayOutcomes.StrengthOf(e.Outcome), new MoodPoint(e.Valence, e.Arousal), e.MoodConfidence));
        }

        // ALS is CPU-bound for seconds; keep it off the request-serving threads' synchronous path.
        var training = new RecommenderTrainingOptions { Als = settings.ToAlsOptions() };
        var snapshot = await Task.Run(() => RecommenderSnapshot.Train(catalog, plays, training, now: time.GetUtcNow()), cancellationToken);
        holder.Replace(new HybridRecommender(snapshot, new HybridOptions { Aggregation = settings.Aggregation, MaxPerArtist = settings.MaxPerArtist }));
        LogTrained(logger, snapshot.Version, catalog.Count, plays.Count, snapshot.Users, snapshot.TrainingTime.TotalSeconds);
        return snapshot;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recommender {Version} trained: {Tracks} tracks, {Plays} plays, {Users} users in {Seconds:F1} s")]
    private static partial void LogTrained(ILogger logger, string version, int tracks, int plays, int users, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recommender training failed; the previous model keeps serving")]
    private static partial void LogTrainingFailed(ILogger logger, Exception exception);
}
