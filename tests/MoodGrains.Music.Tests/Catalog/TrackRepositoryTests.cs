using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Tests.Catalog;

[Collection(PostgresCollection.Name)]
public sealed class TrackRepositoryTests(PostgresFixture postgres)
{
    private readonly PostgresFixture _postgres = postgres;

    [Fact]
    public async Task Upserting_the_same_spotify_track_twice_updates_one_row()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        var first = Track("1111111111111111111111", "Song", "Band", 0.4f, FeatureSource.Imported, genres: ["pop"]);
        var second = first with { Features = new CatalogFeatures(Valence: 0.6f), Genres = ["rock"] };

        var a = await db.Tracks.UpsertAsync([first], default);
        var b = await db.Tracks.UpsertAsync([second], default);

        Assert.Equal(UpsertOutcome.Inserted, a[0].Outcome);
        Assert.Equal(new UpsertResult(UpsertOutcome.Updated, a[0].TrackId), b[0]);
        var stored = await db.Tracks.GetAsync(a[0].TrackId, default);
        Assert.Equal(0.6f, stored!.Features.Valence);
        Assert.Equal(["pop", "rock"], stored.Genres);
        Assert.Equal(1, await db.Tracks.CountAsync(default));
    }

    [Fact]
    public async Task A_track_without_an_id_is_merged_by_title_and_first_artist_and_gains_the_id()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        var demo = Track(null, "Bohemian Rhapsody", "Queen", 0.3f, FeatureSource.Editorial) with { Tags = ["epic"] };
        var imported = Track("4u7EnebtmKWzUH433cf5Qv", "bohemian rhapsody", "QUEEN", 0.228f, FeatureSource.Imported);

        var inserted = await db.Tracks.UpsertAsync([demo], default);
        var merged = await db.Tracks.UpsertAsync([imported], default);

        Assert.Equal(UpsertOutcome.Updated, merged[0].Outcome);
        Assert.Equal(inserted[0].TrackId, merged[0].TrackId);
        var stored = await db.Tracks.GetAsync(merged[0].TrackId, default);
        Assert.Equal("4u7EnebtmKWzUH433cf5Qv", stored!.SpotifyId);
        // Measured beats estimated; the editorial tag stays with its source.
        Assert.Equal(0.228f, stored.Features.Valence);
        Assert.Equal(FeatureSource.Imported, stored.Sources.Valence);
        Assert.Equal(FeatureSource.Editorial, stored.Sources.Tags);
    }

    [Fact]
    public async Task Estimates_never_overwrite_measurements()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        var imported = Track("4u7EnebtmKWzUH433cf5Qv", "Bohemian Rhapsody", "Queen", 0.228f, FeatureSource.Imported);
        var editorial = Track(null, "Bohemian Rhapsody", "Queen", 0.9f, FeatureSource.Editorial) with
        {
            Features = new CatalogFeatures(Valence: 0.9f, Tempo: 144f),
        };

        var ids = await db.Tracks.UpsertAsync([imported, editorial], default);

        Assert.Equal(ids[0].TrackId, ids[1].TrackId);
        var stored = await db.Tracks.GetAsync(ids[0].TrackId, default);
        Assert.Equal(0.228f, stored!.Features.Valence);
        Assert.Equal(FeatureSource.Imported, stored.Sources.Valence);
        // A feature the import lacked is filled from the estimate, marked as such.
        Assert.Equal(144f, stored.Features.Tempo);
        Assert.Equal(FeatureSource.Editorial, stored.Sources.Tempo);
    }

    [Fact]
    public async Task Same_title_and_artist_under_another_spotify_id_is_a_reported_conflict()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        var original = Track("1111111111111111111111", "Song", "Band", 0.4f, FeatureSource.Imported);
        var remaster = Track("2222222222222222222222", "Song", "Band", 0.5f, FeatureSource.Imported);

        var results = await db.Tracks.UpsertAsync([original, remaster], default);

        Assert.Equal(UpsertOutcome.Conflict, results[1].Outcome);
        Assert.Equal(results[0].TrackId, results[1].TrackId);
        Assert.Equal(1, await db.Tracks.CountAsync(default));
    }

    [Fact]
    public async Task Search_finds_by_title_or_artist_case_insensitively()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        await db.Tracks.UpsertAsync(
        [
            Track(null, "Here Comes the Sun", "The Beatles", 0.8f, FeatureSource.Editorial),
            Track(null, "Sunny", "Boney M.", 0.7f, FeatureSource.Editorial),
            Track(null, "Hurt", "Johnny Cash", 0.1f, FeatureSource.Editorial),
        ], default);

        var sun = await db.Tracks.SearchAsync("SUN", 10, default);
        var beatles = await db.Tracks.SearchAsync("beatles", 10, default);

        Assert.Equal(["Here Comes the Sun", "Sunny"], sun.Select(t => t.Title).Order(StringComparer.Ordinal));
        Assert.Equal("Here Comes the Sun", Assert.Single(beatles).Title);
    }

    internal static CatalogTrackInput Track(string? spotifyId, string title, string artist, float valence, FeatureSource source, string[]? genres = null) =>
        new(spotifyId, title, [artist], 200_000, new CatalogFeatures(Valence: valence), source, Genres: genres);
}
