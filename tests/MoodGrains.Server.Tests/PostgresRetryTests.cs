using Microsoft.Extensions.Logging.Abstractions;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Grains.Rooms;
using MoodGrains.Hosting.Local;
using MoodGrains.Mood;
using MoodGrains.Server.Persistence;
using MoodGrains.Server.Rooms;
using MoodGrains.Storage;
using MoodGrains.Storage.Catalog;
using MoodGrains.Storage.Listening;
using Npgsql;

namespace MoodGrains.Server.Tests;

/// <summary>
/// What rooms read from and write to PostgreSQL outside grain state (catalogue lookups, the listening log) after
/// PostgreSQL restarted under them: the connections pooled before the restart are dead, and the first command on one
/// fails. Through <see cref="PostgresRetry"/> the lookup answers and the play is logged once.
/// </summary>
public sealed class PostgresRetryTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private NpgsqlDataSource _data = null!;
    private PostgresRetry _retry = null!;
    private TrackRepository _tracks = null!;
    private long _trackId;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        var database = await _postgres.CreateDatabaseAsync("retry");
        await DatabaseMigrator.MigrateAsync(database);
        _data = NpgsqlDataSource.Create(database);
        _retry = new PostgresRetry(new PostgresPools(_data), NullLogger<PostgresRetry>.Instance);
        _tracks = new TrackRepository(_data);
        var upserted = await _tracks.UpsertAsync(
            [new CatalogTrackInput(null, "Restart Song", ["The Pools"], 180_000, CatalogFeatures.None, FeatureSource.Learned)], CancellationToken.None);
        _trackId = upserted[0].TrackId;
    }

    public async Task DisposeAsync()
    {
        await _data.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_catalogue_lookup_on_a_connection_pooled_before_a_restart_answers()
    {
        var catalog = new PostgresTrackCatalog(_tracks, new LibraryRepository(_data, _tracks), _retry);
        Assert.NotNull(await catalog.FindAsync(_trackId, CancellationToken.None));
        await using (var plain = NpgsqlDataSource.Create(_data.ConnectionString + ";Application Name=plain"))
        {
            // The hazard itself, on a pool of its own: without a retry the first lookup after the restart fails.
            Assert.NotNull(await new TrackRepository(plain).GetAsync(_trackId, CancellationToken.None));
            await _postgres.RestartAsync();
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => new TrackRepository(plain).GetAsync(_trackId, CancellationToken.None));
            Assert.True(TransientPostgres.Is(failure), failure.ToString());
        }

        var found = await catalog.FindAsync(_trackId, CancellationToken.None);

        Assert.Equal("Restart Song", found?.Title);
    }

    [Fact]
    public async Task A_play_that_ends_after_a_restart_is_logged_once_even_when_written_twice()
    {
        var log = new PostgresListeningLog(new ListeningEventRepository(_data), _retry);
        var started = DateTimeOffset.UtcNow.AddMinutes(-3);
        var mood = MoodSnapshot.From(SmoothedMood.Empty, started, TimeSpan.FromSeconds(4));
        ListeningRecord[] play = [new("guest-a", _trackId, "ROOM42", started, started.AddMinutes(3), TrackOutcome.Completed, mood)];
        Assert.Equal(0, await CountPlaysAsync());

        await _postgres.RestartAsync();
        await log.RecordAsync(play, CancellationToken.None);
        await log.RecordAsync(play, CancellationToken.None);

        Assert.Equal(1, await CountPlaysAsync());
    }

    private async Task<long> CountPlaysAsync()
    {
        await using var command = _data.CreateCommand("SELECT count(*) FROM listening_events WHERE room_code = 'ROOM42'");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
