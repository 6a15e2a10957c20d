using Npgsql;

namespace MoodGrains.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrations_apply_once_and_a_second_run_changes_nothing()
    {
        var database = await postgres.Server.CreateDatabaseAsync("migrate");

        var first = await DatabaseMigrator.MigrateAsync(database);
        var second = await DatabaseMigrator.MigrateAsync(database);

        Assert.Equal(DatabaseMigrator.Migrations.Select(m => m.Version), first.Select(m => m.Version));
        Assert.Empty(second);
        var status = await DatabaseMigrator.StatusAsync(database);
        Assert.All(status, s => Assert.NotNull(s.AppliedAt));
        foreach (var table in new[] { "users", "rooms", "tracks", "listening_events" })
        {
            Assert.True(await TableExistsAsync(database, table), $"table {table} is missing");
        }
    }

    [Fact]
    public async Task Concurrent_first_runs_apply_each_migration_exactly_once()
    {
        var database = await postgres.Server.CreateDatabaseAsync("migrate_race");

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DatabaseMigrator.MigrateAsync(database)));

        Assert.Equal(DatabaseMigrator.Migrations.Count, runs.Sum(r => r.Count));
    }

    [Fact]
    public async Task Status_before_any_migration_lists_all_as_pending()
    {
        var database = await postgres.Server.CreateDatabaseAsync("status");
        var status = await DatabaseMigrator.StatusAsync(database);
        Assert.NotEmpty(status);
        Assert.All(status, s => Assert.Null(s.AppliedAt));
    }

    [Fact]
    public async Task Listening_events_reject_an_unknown_outcome()
    {
        var database = await postgres.Server.CreateDatabaseAsync("constraints");
        await DatabaseMigrator.MigrateAsync(database);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var insertTrack = new NpgsqlCommand(
            "INSERT INTO tracks (title, artists, duration_ms) VALUES ('Song', ARRAY['Artist'], 200000) RETURNING track_id", connection);
        var trackId = (long)(await insertTrack.ExecuteScalarAsync())!;
        await using var insertEvent = new NpgsqlCommand(
            """
            INSERT INTO listening_events (user_id, track_id, started_at, outcome, p_angry, p_disgust, p_fear, p_happy, p_sad, p_surprise, p_neutral, valence, arousal)
            VALUES ('u1', $1, now(), 'shrugged', 0, 0, 0, 1, 0, 0, 0, 0.8, 0.5)
            """, connection);
        insertEvent.Parameters.AddWithValue(trackId);
        var error = await Assert.ThrowsAsync<PostgresException>(() => insertEvent.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    private static async Task<bool> TableExistsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.AddWithValue(table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
