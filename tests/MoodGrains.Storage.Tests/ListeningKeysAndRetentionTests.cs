using MoodGrains.Mood;
using MoodGrains.Storage.Listening;
using Npgsql;

namespace MoodGrains.Storage.Tests;

/// <summary>A play recorded twice is one row; old plays are reduced to their mood point.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ListeningKeysAndRetentionTests(PostgresFixture postgres)
{
    private static readonly float[] Happy = [0.05f, 0.05f, 0.05f, 0.6f, 0.05f, 0.1f, 0.1f];

    [Fact]
    public async Task A_play_appended_again_adds_no_second_row()
    {
        await using var dataSource = await CreateSchemaAsync("play_key");
        var track = await InsertTrackAsync(dataSource);
        var repository = new ListeningEventRepository(dataSource);
        var start = new DateTimeOffset(2026, 12, 1, 20, 0, 0, 123, TimeSpan.Zero).AddTicks(4567);
        ListeningEvent Play(string user, string? room, DateTimeOffset ended) =>
            new(0, user, track, room, start, ended, TrackOutcome.Completed, Happy, 0.6f, 0.2f, 0.9f);

        Assert.Equal(2UL, await repository.AppendAsync([Play("ann", "ROOM42", start.AddMinutes(3)), Play("bob", "ROOM42", start.AddMinutes(3))]));
        // The room crashed after recording and records the same play again on reactivation, with a later end.
        Assert.Equal(0UL, await repository.AppendAsync([Play("ann", "ROOM42", start.AddMinutes(4)), Play("bob", "ROOM42", start.AddMinutes(4))]));
        // Duplicates inside one batch count once; the same start in another room is another play.
        Assert.Equal(1UL, await repository.AppendAsync([Play("ann", "ROOM43", start.AddMinutes(3)), Play("ann", "ROOM43", start.AddMinutes(3))]));
        // Plays outside a room (imports) have no room to key on and are all kept.
        Assert.Equal(2UL, await repository.AppendAsync([Play("cy", null, start.AddMinutes(3)), Play("cy", null, start.AddMinutes(3))]));

        Assert.Equal(5L, await CountAsync(dataSource, "SELECT count(*) FROM listening_events"));
        Assert.Equal(2L, await CountAsync(dataSource, "SELECT count(*) FROM listening_events WHERE room_code = 'ROOM42'"));
    }

    [Fact]
    public async Task Plays_older_than_the_period_keep_only_their_mood_point()
    {
        await using var dataSource = await CreateSchemaAsync("retention");
        var track = await InsertTrackAsync(dataSource);
        var repository = new ListeningEventRepository(dataSource);
        var now = DateTimeOffset.UtcNow;
        await repository.AppendAsync(
        [
            new(0, "ann", track, "ROOM42", now.AddDays(-40), now.AddDays(-40), TrackOutcome.Liked, Happy, 0.6f, 0.2f, 0.9f),
            new(0, "bob", track, "ROOM42", now.AddDays(-31), now.AddDays(-31), TrackOutcome.Skipped, Happy, 0.5f, 0.1f, 0.8f),
            new(0, "cy", track, "ROOM42", now.AddDays(-2), now.AddDays(-2), TrackOutcome.Completed, Happy, 0.4f, 0.3f, 0.7f),
        ]);

        Assert.Equal(2L, await repository.ReduceToMoodPointAsync(now.AddDays(-30), batchSize: 1));
        Assert.Equal(0L, await repository.ReduceToMoodPointAsync(now.AddDays(-30)));

        var rows = new Dictionary<string, ListeningEvent>();
        await foreach (var e in repository.ReadAsync())
        {
            rows[e.UserId] = e;
        }

        Assert.Empty(rows["ann"].EmotionProbabilities);
        Assert.Empty(rows["bob"].EmotionProbabilities);
        Assert.Equal(Happy, rows["cy"].EmotionProbabilities);
        // The mood point and the outcome stay: the recommender trains on them.
        Assert.Equal((0.6f, 0.2f, 0.9f, TrackOutcome.Liked), (rows["ann"].Valence, rows["ann"].Arousal, rows["ann"].MoodConfidence, rows["ann"].Outcome));
        Assert.Equal(0L, await CountAsync(dataSource, "SELECT count(*) FROM listening_events WHERE started_at < now() - interval '30 days' AND p_happy IS NOT NULL"));
    }

    [Fact]
    public async Task Probabilities_are_kept_or_dropped_all_seven_together()
    {
        await using var dataSource = await CreateSchemaAsync("whole");
        var track = await InsertTrackAsync(dataSource);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO listening_events (user_id, track_id, started_at, outcome, p_angry, p_disgust, p_fear, p_happy, p_sad, p_surprise, p_neutral, valence, arousal) " +
            "VALUES ('u1', $1, now(), 'completed', NULL, 0, 0, 1, 0, 0, 0, 0.8, 0.5)");
        command.Parameters.AddWithValue(track);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    private async Task<NpgsqlDataSource> CreateSchemaAsync(string name)
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync(name);
        await DatabaseMigrator.MigrateAsync(connectionString);
        return NpgsqlDataSource.Create(connectionString);
    }

    private static async Task<long> InsertTrackAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO tracks (title, artists, duration_ms) VALUES ('Song', ARRAY['Artist'], 200000) RETURNING track_id");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
