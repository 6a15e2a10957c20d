using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MoodGrains.Music.Catalog;
using MoodGrains.Music.Features;
using MoodGrains.Music.Spotify;
using MoodGrains.Music.Tests.Spotify;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Tests.Catalog;

[Collection(PostgresCollection.Name)]
public sealed class ResolverAndFeatureTests(PostgresFixture postgres)
{
    private readonly PostgresFixture _postgres = postgres;

    [Fact]
    public async Task A_track_without_an_id_is_resolved_by_search_once_and_then_served_from_the_cache()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        var ids = await db.Tracks.UpsertAsync([TrackRepositoryTests.Track(null, "Dancing Queen", "ABBA", 0.75f, FeatureSource.Editorial)], default);
        var provider = new FakeProvider(new ProviderTrack("0GjEhVFGZW8afUYGChu3Rr", "spotify:track:0GjEhVFGZW8afUYGChu3Rr", "Dancing Queen",
            ["ABBA"], "Arrival", 230_000, 80, null));
        var resolver = new CatalogTrackResolver(provider, db.Tracks, new TrackResolutionRepository(db.DataSource), TimeProvider.System,
            NullLogger<CatalogTrackResolver>.Instance);

        var first = await resolver.ResolveUriAsync(ids[0].TrackId, "host", default);
        var second = await resolver.ResolveUriAsync(ids[0].TrackId, "host", default);

        Assert.Equal("spotify:track:0GjEhVFGZW8afUYGChu3Rr", first);
        Assert.Equal(first, second);
        Assert.Equal(1, provider.Resolves);
        Assert.Equal("0GjEhVFGZW8afUYGChu3Rr", (await db.Tracks.GetAsync(ids[0].TrackId, default))!.SpotifyId);
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM track_resolutions WHERE provider = 'spotify'"));
    }

    [Fact]
    public async Task A_search_that_finds_nothing_is_cached_too()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        var ids = await db.Tracks.UpsertAsync([TrackRepositoryTests.Track(null, "Unknown Song", "Nobody", 0.5f, FeatureSource.Editorial)], default);
        var provider = new FakeProvider(null);
        var resolver = new CatalogTrackResolver(provider, db.Tracks, new TrackResolutionRepository(db.DataSource), TimeProvider.System,
            NullLogger<CatalogTrackResolver>.Instance);

        Assert.Null(await resolver.ResolveUriAsync(ids[0].TrackId, "host", default));
        Assert.Null(await resolver.ResolveUriAsync(ids[0].TrackId, "host", default));
        Assert.Equal(1, provider.Resolves);
    }

    [Fact]
    public void The_matcher_accepts_decorated_titles_and_rejects_other_artists()
    {
        var wanted = new TrackQuery("Bohemian Rhapsody", "Queen", 355_000);
        var remaster = new ProviderTrack("a", "spotify:track:a", "Bohemian Rhapsody - Remastered 2011", ["Queen"], null, 354_000, 80, null);
        var cover = new ProviderTrack("b", "spotify:track:b", "Bohemian Rhapsody", ["The Muppets"], null, 290_000, 60, null);
        var live = new ProviderTrack("c", "spotify:track:c", "Bohemian Rhapsody (Live Aid)", ["Queen"], null, 150_000, 50, null);

        Assert.Equal("a", TrackMatcher.Best(wanted, [cover, live, remaster])?.Id);
        Assert.Null(TrackMatcher.Best(wanted, [cover]));
    }

    [Fact]
    public async Task Learned_positions_follow_the_listeners_moods_and_confidence_grows_with_evidence()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        var ids = await db.Tracks.UpsertAsync(
        [
            new CatalogTrackInput(null, "Few Plays", ["A"], 200_000, CatalogFeatures.None, FeatureSource.Imported),
            new CatalogTrackInput(null, "Many Plays", ["B"], 200_000, CatalogFeatures.None, FeatureSource.Imported),
            TrackRepositoryTests.Track(null, "Editorial", "C", 0.9f, FeatureSource.Editorial),
        ], default);
        var (few, many, editorial) = (ids[0].TrackId, ids[1].TrackId, ids[2].TrackId);
        // Happy, energetic listeners finish these tracks; a sad, calm one skips them.
        await AddPlaysAsync(db, few, "completed", 0.6, 0.4, 2);
        await AddPlaysAsync(db, many, "completed", 0.6, 0.4, 30);
        await AddPlaysAsync(db, many, "liked", 0.6, 0.4, 5);
        await AddPlaysAsync(db, many, "skipped", -0.6, -0.4, 5);
        await AddPlaysAsync(db, editorial, "completed", -0.8, -0.8, 40);
        var source = new LearnedMoodFeatureSource(new LearnedMoodRepository(db.DataSource));

        var run = await source.UpdateAsync(default);

        var repository = new LearnedMoodRepository(db.DataSource);
        var fewMood = await repository.GetAsync(few, default);
        var manyMood = await repository.GetAsync(many, default);
        Assert.NotNull(fewMood);
        Assert.NotNull(manyMood);
        Assert.Equal(3, run.TracksConsidered);
        Assert.True(manyMood.Confidence > fewMood.Confidence, $"{manyMood.Confidence} <= {fewMood.Confidence}");
        Assert.Equal(0.6f, fewMood.Valence, 3);
        // Skips by a sad listener push the position further from sadness, not towards it.
        Assert.True(manyMood.Valence > 0.6f && manyMood.Arousal > 0.4f);
        Assert.Equal(35, manyMood.Positive);
        Assert.Equal(5, manyMood.Negative);

        var manyTrack = await db.Tracks.GetAsync(many, default);
        Assert.Equal(FeatureSource.Learned, manyTrack!.Sources.Valence);
        Assert.Equal((manyMood.Valence + 1) / 2, manyTrack.Features.Valence!.Value, 3);
        // Too little evidence: kept aside, not written into the catalogue.
        Assert.Null((await db.Tracks.GetAsync(few, default))!.Features.Valence);
        // Never over an editorial or imported value.
        var editorialTrack = await db.Tracks.GetAsync(editorial, default);
        Assert.Equal(0.9f, editorialTrack!.Features.Valence);
        Assert.Equal(FeatureSource.Editorial, editorialTrack.Sources.Valence);
    }

    [Fact]
    public void Negative_evidence_alone_locates_nothing()
    {
        Assert.Null(LearnedMoodFeatureSource.Estimate(new TrackMoodEvidence(1, 0, 0, 0, 0, 3, 3, -1, -1)));
    }

    [Fact]
    public async Task Tokens_are_stored_encrypted_and_read_back()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        var protection = new EphemeralDataProtectionProvider();
        var store = new ProtectedSpotifyTokenStore(protection, new SpotifyTokenRepository(db.DataSource), NullLogger<ProtectedSpotifyTokenStore>.Instance);
        var tokens = new SpotifyTokens("secret-access", "secret-refresh", DateTimeOffset.UtcNow.AddHours(1), "user-read-private");

        await store.SaveAsync("u1", tokens, default);

        Assert.Equal(tokens, await store.GetAsync("u1", default));
        await using (var command = db.DataSource.CreateCommand("SELECT ciphertext FROM spotify_tokens WHERE user_id = 'u1'"))
        {
            var ciphertext = (string)(await command.ExecuteScalarAsync())!;
            Assert.DoesNotContain("secret", ciphertext, StringComparison.Ordinal);
        }

        // Another key ring cannot read the row: there it counts as not linked (so a relink is offered), but the row is
        // kept, since a silo that does hold the keys still reads it.
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var stranger = new ProtectedSpotifyTokenStore(new EphemeralDataProtectionProvider(), new SpotifyTokenRepository(db.DataSource), loggers.CreateLogger<ProtectedSpotifyTokenStore>());
        Assert.Null(await stranger.GetAsync("u1", default));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM spotify_tokens"));
        Assert.Equal(tokens, await store.GetAsync("u1", default));
        var warning = Assert.Single(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("u1", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", warning, StringComparison.Ordinal);
    }

    private static async Task AddPlaysAsync(CatalogDatabase db, long trackId, string outcome, double valence, double arousal, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var command = db.DataSource.CreateCommand(
                "INSERT INTO listening_events (user_id, track_id, started_at, outcome, p_angry, p_disgust, p_fear, p_happy, p_sad, p_surprise, p_neutral, " +
                "valence, arousal, mood_confidence) VALUES ($1, $2, now(), $3, 0, 0, 0, 0, 0, 0, 1, $4, $5, 0.8)");
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "listener" + (i % 7) });
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = trackId });
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = outcome });
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (float)valence });
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (float)arousal });
            await command.ExecuteNonQueryAsync();
        }
    }

    private sealed class FakeProvider(ProviderTrack? match) : IMusicProvider
    {
        public int Resolves { get; private set; }

        public string Name => "spotify";

        public bool IsEnabled => true;

        public Task<ProviderTrack?> ResolveAsync(string userId, TrackQuery track, CancellationToken cancellationToken)
        {
            Resolves++;
            return Task.FromResult(match is not null && TrackMatcher.Best(track, [match]) is { } m ? m : null);
        }

        public Task<IReadOnlyList<ProviderTrack>> SearchTracksAsync(string userId, string query, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ProviderTrack?> GetTrackAsync(string userId, string providerTrackId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<PlaybackDevice>> GetDevicesAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DevicePlayback?> GetPlaybackStateAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task PlayAsync(string userId, PlayRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task PauseAsync(string userId, string? deviceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SeekAsync(string userId, int positionMs, string? deviceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task AddToQueueAsync(string userId, string trackUri, string? deviceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task TransferPlaybackAsync(string userId, string deviceId, bool play, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
