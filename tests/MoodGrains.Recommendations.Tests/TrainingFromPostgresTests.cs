using MoodGrains.Mood;
using MoodGrains.Recommendations.Content;
using MoodGrains.Recommendations.Hybrid;
using MoodGrains.Recommendations.Serving;
using MoodGrains.Storage.Listening;

namespace MoodGrains.Recommendations.Tests;

/// <summary>The training service's path without the host: PostgreSQL rows -> play events -> snapshot -> recommendations.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TrainingFromPostgresTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_snapshot_trained_from_listening_events_recommends_from_the_catalogue()
    {
        await using var dataSource = await postgres.CreateSchemaAsync();
        var tracks = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            await using var insert = dataSource.CreateCommand("INSERT INTO tracks (title, artists, duration_ms, valence, energy) VALUES ($1, $2, 180000, $3, $4) RETURNING track_id");
            insert.Parameters.AddWithValue($"Song {i}");
            insert.Parameters.AddWithValue(new[] { $"Band {i}" });
            insert.Parameters.AddWithValue(i < 6 ? 0.9f : 0.1f);
            insert.Parameters.AddWithValue(i < 6 ? 0.8f : 0.2f);
            tracks.Add((long)(await insert.ExecuteScalarAsync())!);
        }

        var now = DateTimeOffset.UtcNow;
        var happy = Circumplex.PositionOf(Emotion.Happy);
        var events = new List<ListeningEvent>();
        for (var u = 0; u < 10; u++)
        {
            for (var i = 0; i < 6; i++)
            {
                events.Add(new ListeningEvent(0, $"user{u}", tracks[(u < 5 ? 0 : 6) + i], null, now.AddMinutes(-i - (10 * u)), null,
                    i == 5 ? TrackOutcome.Disliked : TrackOutcome.Completed, [0f, 0f, 0f, 1f, 0f, 0f, 0f], happy.Valence, happy.Arousal, 0.9f));
            }
        }

        var repository = new ListeningEventRepository(dataSource);
        await repository.AppendAsync(events);

        var catalog = new List<CatalogTrack>();
        await foreach (var row in repository.ReadTracksAsync())
        {
            catalog.Add(new CatalogTrack(row.TrackId, row.Artists[0], new TrackFeatures(row.Valence, row.Energy, row.Danceability, row.Acousticness, row.Tempo), row.Popularity));
        }

        var plays = new List<PlayEvent>();
        await foreach (var e in repository.ReadAsync(since: now.AddDays(-1), batchSize: 16))
        {
            plays.Add(new PlayEvent(e.UserId, e.TrackId, PlayOutcomes.StrengthOf(e.Outcome), new MoodPoint(e.Valence, e.Arousal), e.MoodConfidence));
        }

        var snapshot = RecommenderSnapshot.Train(catalog, plays, new RecommenderTrainingOptions { Als = new() { Factors = 4, Iterations = 5, Regularization = 1, Alpha = 10 } });

        Assert.Equal(12, snapshot.Tracks.Count);
        Assert.Equal(10, snapshot.Users);
        Assert.Equal(60, plays.Count);
        var list = new HybridRecommender(snapshot, new HybridOptions { MoodWeight = 0, PopularityWeight = 0 })
            .Recommend(new RecommendationRequest([new Listener("user1")], happy, 3));
        Assert.Equal(3, list.Count);

        // user1 belongs to the first five users, who only played the first six tracks.
        Assert.All(list, r => Assert.Contains(r.TrackId, tracks.Take(6)));
    }
}
