using MoodGrains.Storage.Catalog;
using Npgsql;

namespace MoodGrains.Storage.Tests.Catalog;

/// <summary>Catalogue search on the trigram index of migration 5: what it finds, and that it is an index lookup.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TrackSearchTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Search_finds_by_title_or_artist_takes_wildcards_literally_and_caps_its_results()
    {
        await using var db = await MigratedAsync("track_search_results");
        var tracks = new TrackRepository(db);
        await tracks.UpsertAsync(
        [
            Track("Here Comes the Sun", "The Beatles", popularity: 90),
            Track("Sunny", "Boney M.", popularity: 80),
            Track("100% Pure Love", "Crystal Waters", popularity: 50),
            Track("1000 Pure Love", "Nobody", popularity: 40),
            .. Enumerable.Range(0, 30).Select(i => Track($"Sundial {i}", "Band", popularity: i)),
        ], default);

        var sun = await tracks.SearchAsync("SUN", 5, default);
        var beatles = await tracks.SearchAsync("beatles", 10, default);
        var percent = await tracks.SearchAsync("100%", 10, default);

        Assert.Equal(["Here Comes the Sun", "Sunny", "Sundial 29", "Sundial 28", "Sundial 27"], sun.Select(t => t.Title));
        Assert.Equal("Here Comes the Sun", Assert.Single(beatles).Title);
        Assert.Equal("100% Pure Love", Assert.Single(percent).Title);
        Assert.Empty(await tracks.SearchAsync("_", 10, default));
    }

    [Fact]
    public async Task Search_is_answered_by_the_trigram_index()
    {
        await using var db = await MigratedAsync("track_search_plan");
        await using var connection = await db.OpenConnectionAsync();
        // A handful of rows is cheaper to scan, so the planner is told not to; with the index missing it still would.
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand(
            "EXPLAIN SELECT track_id FROM tracks WHERE track_search_text(title, artists) LIKE lower($1)", connection);
        explain.Parameters.Add(new NpgsqlParameter { Value = TrackRepository.ContainsPattern("queen") });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("tracks_search_trgm_idx", StringComparison.Ordinal));
    }

    private static CatalogTrackInput Track(string title, string artist, float popularity) =>
        new(null, title, [artist], 200_000, new CatalogFeatures(Valence: 0.5f), FeatureSource.Editorial, Popularity: popularity);

    private async Task<NpgsqlDataSource> MigratedAsync(string name)
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync(name);
        await DatabaseMigrator.MigrateAsync(connectionString);
        return NpgsqlDataSource.Create(connectionString);
    }
}
