using MoodGrains.Music.Catalog;
using MoodGrains.Storage.Catalog;
using MoodGrains.Testing;

namespace MoodGrains.Music.Tests.Catalog;

[Collection(PostgresCollection.Name)]
public sealed class CatalogImportTests(PostgresFixture postgres)
{
    private readonly PostgresFixture _postgres = postgres;

    [SharedDataTheory]
    [InlineData("spotify-catalog/data_moods.csv", CatalogCsvLayout.Moods)]
    [InlineData("spotify-catalog/high_popularity_spotify_data.csv", CatalogCsvLayout.Playlist)]
    [InlineData("spotify-catalog/low_popularity_spotify_data.csv", CatalogCsvLayout.Playlist)]
    public async Task Each_shared_csv_imports_with_every_row_accounted_for_and_reimports_idempotently(string file, CatalogCsvLayout layout)
    {
        var path = SharedData.PathOf(file)!;
        await using var db = await _postgres.CreateDatabaseAsync();
        var importer = new CatalogImporter(db.Tracks);
        var progress = new List<ImportProgress>();

        var report = await importer.ImportFileAsync(path, CatalogCsvLayout.Auto, new SyncProgress(progress), default);

        var dataRows = CountDataRows(path);
        Assert.Equal(layout, report.Layout);
        Assert.Equal(dataRows, report.Rows);
        Assert.Equal(report.Rows, report.Inserted + report.Updated + report.Rejected.Count + report.Conflicts.Count);
        Assert.Equal(report.Inserted, await db.Tracks.CountAsync(default));
        Assert.All(report.Rejected.Concat(report.Conflicts), issue =>
        {
            Assert.InRange(issue.Line, 2, dataRows + 1);
            Assert.False(string.IsNullOrWhiteSpace(issue.Reason));
        });
        Assert.NotEmpty(progress);
        Assert.Equal(report.Rows, progress[^1].RowsRead);

        // Every stored feature came from the file, so every stored source says 'imported'.
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM tracks WHERE valence IS NOT NULL AND valence_source <> 'imported'"));

        var again = await importer.ImportFileAsync(path, CatalogCsvLayout.Auto, null, default);
        Assert.Equal(0, again.Inserted);
        Assert.Equal(report.Inserted + report.Updated, again.Updated);
        Assert.Equal(report.Rejected, again.Rejected);
        Assert.Equal(report.Conflicts.Select(c => c.Line), again.Conflicts.Select(c => c.Line));
        Assert.Equal(report.Inserted, await db.Tracks.CountAsync(default));
    }

    [SharedDataFact]
    public async Task A_row_is_stored_with_the_values_of_its_columns()
    {
        var path = SharedData.PathOf("spotify-catalog/data_moods.csv")!;
        string[] header;
        string[] row;
        using (var reader = new StreamReader(path))
        {
            var records = CsvReader.Read(reader).Take(2).ToArray();
            header = records[0].Fields;
            row = records[1].Fields;
        }

        string Column(string name) => row[Array.IndexOf(header, name)];
        await using var db = await _postgres.CreateDatabaseAsync();

        await new CatalogImporter(db.Tracks).ImportFileAsync(path, CatalogCsvLayout.Moods, null, default);

        var track = await db.Tracks.FindBySpotifyIdAsync(Column("id"), default);
        Assert.NotNull(track);
        Assert.Equal(Column("name"), track.Title);
        Assert.Equal(Column("artist"), track.Artists[0]);
        Assert.Equal(int.Parse(Column("length"), System.Globalization.CultureInfo.InvariantCulture), track.DurationMs);
        Assert.Equal(float.Parse(Column("valence"), System.Globalization.CultureInfo.InvariantCulture), track.Features.Valence);
        Assert.Equal(float.Parse(Column("energy"), System.Globalization.CultureInfo.InvariantCulture), track.Features.Energy);
        Assert.Equal(FeatureSource.Imported, track.Sources.Energy);
        Assert.Contains(Column("mood").ToLowerInvariant(), track.Tags);
    }

    [SharedDataFact]
    public async Task The_row_with_a_missing_duration_is_reported_not_dropped()
    {
        var path = SharedData.PathOf("spotify-catalog/low_popularity_spotify_data.csv")!;
        int[] withoutDuration;
        using (var reader = new StreamReader(path))
        {
            var records = CsvReader.Read(reader).ToArray();
            var durationColumn = Array.IndexOf(records[0].Fields, "duration_ms");
            withoutDuration = records.Skip(1).Where(r => r.Fields.Length > durationColumn && r.Fields[durationColumn].Length == 0).Select(r => r.Line).ToArray();
        }

        await using var db = await _postgres.CreateDatabaseAsync();

        var report = await new CatalogImporter(db.Tracks).ImportFileAsync(path, CatalogCsvLayout.Auto, null, default);

        Assert.NotEmpty(withoutDuration);
        Assert.All(withoutDuration, line => Assert.Contains(report.Rejected, r => r.Line == line && r.Reason.Contains("duration", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_demo_catalogue_seeds_an_empty_database_once_without_rejections()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        var importer = new CatalogImporter(db.Tracks);
        var seeder = new DemoCatalogSeeder(importer, db.Tracks, Microsoft.Extensions.Logging.Abstractions.NullLogger<DemoCatalogSeeder>.Instance);

        var report = await seeder.SeedIfEmptyAsync(default);
        var second = await seeder.SeedIfEmptyAsync(default);

        Assert.NotNull(report);
        Assert.Null(second);
        Assert.Equal(CatalogCsvLayout.Demo, report.Layout);
        Assert.Empty(report.Rejected);
        Assert.Empty(report.Conflicts);
        Assert.InRange(report.Inserted, 150, 300);
        Assert.Equal(report.Inserted, await db.Tracks.CountAsync(default));
        // Every demo feature is an editorial estimate and says so.
        Assert.Equal(0, await db.ScalarAsync(
            "SELECT count(*) FROM tracks WHERE valence_source IS DISTINCT FROM 'editorial' OR energy_source IS DISTINCT FROM 'editorial' " +
            "OR tempo_source IS DISTINCT FROM 'editorial' OR cardinality(tags) = 0"));
    }

    [Fact]
    public async Task Silos_starting_together_seed_the_demo_catalogue_once()
    {
        await using var db = await _postgres.CreateDatabaseAsync();
        DemoCatalogSeeder NewSeeder() => new(new CatalogImporter(db.Tracks), db.Tracks,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DemoCatalogSeeder>.Instance);

        var reports = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => NewSeeder().SeedIfEmptyAsync(default))));

        var seeded = Assert.Single(reports, r => r is not null);
        Assert.Equal(2, reports.Count(r => r is null));
        Assert.Empty(seeded!.Conflicts);
        Assert.Equal(seeded.Inserted, await db.Tracks.CountAsync(default));
    }

    private static int CountDataRows(string path)
    {
        using var reader = new StreamReader(path);
        return CsvReader.Read(reader).Skip(1).Count(r => r.Fields is not [""]);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test wants the reports in order and complete.</summary>
    private sealed class SyncProgress(List<ImportProgress> sink) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => sink.Add(value);
    }
}
