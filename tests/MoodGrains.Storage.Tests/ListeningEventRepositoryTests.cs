using MoodGrains.Mood;
using MoodGrains.Storage.Listening;
using Npgsql;

namespace MoodGrains.Storage.Tests;

/// <summary>The listening-event repository on a real PostgreSQL with the production schema.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ListeningEventRepositoryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Appended_events_read_back_identically_in_batches()
    {
        await using var dataSource = await CreateSchemaAsync();
        var tracks = await InsertTracksAsync(dataSource, 3);
        var start = new DateTimeOffset(2026, 11, 1, 20, 0, 0, TimeSpan.FromHours(1));
        var events = Enumerable.Range(0, 25).Select(n => new ListeningEvent(
            0,
            $"user{n % 4}",
            tracks[n % tracks.Length],
            n % 3 == 0 ? null : "ABC234",
            start.AddMinutes(n),
            n % 5 == 0 ? null : start.AddMinutes(n + 3),
            n % 2 == 0 ? TrackOutcome.Completed : TrackOutcome.Skipped,
            [0.05f, 0.05f, 0.05f, 0.5f + (n / 100f), 0.1f, 0.1f, 0.15f - (n / 100f)],
            0.4f + (n / 100f),
            -0.2f,
            n / 25f)).ToArray();

        var repository = new ListeningEventRepository(dataSource);
        Assert.Equal(25UL, await repository.AppendAsync(events));

        var read = new List<ListeningEvent>();
        await foreach (var e in repository.ReadAsync(batchSize: 7))
        {
            read.Add(e);
        }

        Assert.Equal(25, read.Count);
        Assert.True(read.Zip(read.Skip(1)).All(p => p.First.EventId < p.Second.EventId));
        for (var n = 0; n < events.Length; n++)
        {
            var (expected, actual) = (events[n], read[n]);
            Assert.Equal(expected.UserId, actual.UserId);
            Assert.Equal(expected.TrackId, actual.TrackId);
            Assert.Equal(expected.RoomCode, actual.RoomCode);
            Assert.Equal(expected.StartedAt, actual.StartedAt);
            Assert.Equal(expected.EndedAt, actual.EndedAt);
            Assert.Equal(expected.Outcome, actual.Outcome);
            Assert.Equal(expected.EmotionProbabilities, actual.EmotionProbabilities);
            Assert.Equal(expected.Valence, actual.Valence);
            Assert.Equal(expected.Arousal, actual.Arousal);
            Assert.Equal(expected.MoodConfidence, actual.MoodConfidence);
        }

        var recent = new List<ListeningEvent>();
        await foreach (var e in repository.ReadAsync(since: start.AddMinutes(20), batchSize: 2))
        {
            recent.Add(e);
        }

        Assert.Equal(5, recent.Count);
    }

    [Fact]
    public async Task Tracks_read_back_with_missing_features_as_null()
    {
        await using var dataSource = await CreateSchemaAsync();
        var ids = await InsertTracksAsync(dataSource, 2);
        await using (var update = dataSource.CreateCommand("UPDATE tracks SET valence = 0.8, tempo = 128, spotify_id = 'sp0' WHERE track_id = $1"))
        {
            update.Parameters.AddWithValue(ids[0]);
            await update.ExecuteNonQueryAsync();
        }

        var rows = new List<TrackFeatureRow>();
        await foreach (var row in new ListeningEventRepository(dataSource).ReadTracksAsync())
        {
            rows.Add(row);
        }

        Assert.Equal(2, rows.Count);
        Assert.Equal(0.8f, rows[0].Valence);
        Assert.Equal(128f, rows[0].Tempo);
        Assert.Null(rows[0].Energy);
        Assert.Null(rows[1].Valence);
        Assert.Equal(["Artist 0"], rows[0].Artists);
        Assert.Equal([true, false], rows.Select(r => r.OnSpotify));
    }

    [Fact]
    public async Task Append_rejects_events_without_seven_emotions()
    {
        await using var dataSource = await CreateSchemaAsync();
        var bad = new ListeningEvent(0, "u", 1, null, DateTimeOffset.UtcNow, null, TrackOutcome.Completed, [1f], 0, 0, 0);
        await Assert.ThrowsAsync<ArgumentException>(() => new ListeningEventRepository(dataSource).AppendAsync([bad]));
    }

    private async Task<NpgsqlDataSource> CreateSchemaAsync()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync("listening");
        await DatabaseMigrator.MigrateAsync(connectionString);
        return NpgsqlDataSource.Create(connectionString);
    }

    private static async Task<long[]> InsertTracksAsync(NpgsqlDataSource dataSource, int count)
    {
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            await using var command = dataSource.CreateCommand("INSERT INTO tracks (title, artists, duration_ms) VALUES ($1, $2, 200000) RETURNING track_id");
            command.Parameters.AddWithValue($"Song {i}");
            command.Parameters.AddWithValue(new[] { $"Artist {i}" });
            ids[i] = (long)(await command.ExecuteScalarAsync())!;
        }

        return ids;
    }
}
