using MoodGrains.Storage.Catalog;
using Npgsql;

namespace MoodGrains.Storage.Tests.Catalog;

[Collection(PostgresCollection.Name)]
public sealed class LibraryRepositoryTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Modified = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_rescan_of_the_same_file_updates_its_track_instead_of_adding_one()
    {
        await using var db = await MigratedAsync("library_rescan");
        var library = new LibraryRepository(db, new TrackRepository(db));

        var first = await library.UpsertAsync(File("a/one.opus", "f1", "One"), default);
        var again = await library.UpsertAsync(File("a/one.opus", "f1", "One") with { Features = new CatalogFeatures(Energy: 0.9f) }, default);

        Assert.Equal(LibraryUpsertOutcome.Inserted, first.Outcome);
        Assert.Equal(new LibraryUpsertResult(LibraryUpsertOutcome.Updated, first.TrackId), again);
        Assert.Equal(1, await new TrackRepository(db).CountAsync(default));
        var track = await new TrackRepository(db).GetAsync(first.TrackId, default);
        Assert.Equal(0.9f, track!.Features.Energy);
        Assert.Equal(FeatureSource.Analysed, track.Sources.Energy);
        Assert.True(track.HasAudio);
    }

    [Fact]
    public async Task A_moved_file_keeps_its_track_and_updates_its_path()
    {
        await using var db = await MigratedAsync("library_move");
        var library = new LibraryRepository(db, new TrackRepository(db));

        var before = await library.UpsertAsync(File("old/one.opus", "f1", "One"), default);
        var after = await library.UpsertAsync(File("new/one.opus", "f1", "One"), default);

        Assert.Equal(before.TrackId, after.TrackId);
        Assert.Equal(LibraryUpsertOutcome.Updated, after.Outcome);
        Assert.Equal("new/one.opus", await library.GetRelativePathAsync(before.TrackId, default));
        Assert.Equal(["new/one.opus"], (await library.ListAsync(default)).Select(r => r.RelativePath));
    }

    [Fact]
    public async Task New_content_at_a_known_path_updates_the_fingerprint_of_the_same_track()
    {
        await using var db = await MigratedAsync("library_edit");
        var library = new LibraryRepository(db, new TrackRepository(db));

        var before = await library.UpsertAsync(File("one.flac", "f1", "One"), default);
        var after = await library.UpsertAsync(File("one.flac", "f2", "One (remaster)"), default);

        Assert.Equal(new LibraryUpsertResult(LibraryUpsertOutcome.Updated, before.TrackId), after);
        var row = Assert.Single(await library.ListAsync(default));
        Assert.Equal("f2", row.Fingerprint);
        Assert.Equal("One (remaster)", (await new TrackRepository(db).GetAsync(before.TrackId, default))!.Title);
    }

    [Fact]
    public async Task Two_files_of_one_title_and_artist_give_one_track_and_report_the_second_as_a_duplicate()
    {
        await using var db = await MigratedAsync("library_same_name");
        var library = new LibraryRepository(db, new TrackRepository(db));

        var first = await library.UpsertAsync(File("cd1/one.mp3", "f1", "One"), default);
        var second = await library.UpsertAsync(File("cd2/one.mp3", "f2", "One"), default);

        Assert.Equal(new LibraryUpsertResult(LibraryUpsertOutcome.Duplicate, first.TrackId), second);
        Assert.Equal(1, await library.CountAsync(default));
    }

    [Fact]
    public async Task Analysed_features_replace_editorial_and_learned_ones_but_never_imported_ones()
    {
        await using var db = await MigratedAsync("library_rank");
        var tracks = new TrackRepository(db);
        var library = new LibraryRepository(db, tracks);
        await tracks.UpsertAsync(
        [
            new CatalogTrackInput(null, "Measured", ["Artist"], 1000, new CatalogFeatures(Valence: 0.1f), FeatureSource.Imported),
            new CatalogTrackInput(null, "Guessed", ["Artist"], 1000, new CatalogFeatures(Valence: 0.1f), FeatureSource.Editorial),
        ], default);

        var measured = await library.UpsertAsync(File("m.wav", "f1", "Measured") with { Features = new CatalogFeatures(Valence: 0.8f) }, default);
        var guessed = await library.UpsertAsync(File("g.wav", "f2", "Guessed") with { Features = new CatalogFeatures(Valence: 0.8f) }, default);
        // The second pass goes through the update path rather than the catalogue merge.
        await library.UpsertAsync(File("m.wav", "f1", "Measured") with { Features = new CatalogFeatures(Valence: 0.7f) }, default);

        Assert.Equal(LibraryUpsertOutcome.Inserted, measured.Outcome);
        var m = (await tracks.GetAsync(measured.TrackId, default))!;
        var g = (await tracks.GetAsync(guessed.TrackId, default))!;
        Assert.Equal((0.1f, FeatureSource.Imported), (m.Features.Valence!.Value, m.Sources.Valence!.Value));
        Assert.Equal((0.8f, FeatureSource.Analysed), (g.Features.Valence!.Value, g.Sources.Valence!.Value));
        Assert.True(m.HasAudio && g.HasAudio);
        Assert.Equal(2, await tracks.CountAsync(default));
    }

    [Fact]
    public async Task Files_no_longer_found_are_forgotten_and_their_tracks_lose_audio_but_stay()
    {
        await using var db = await MigratedAsync("library_remove");
        var tracks = new TrackRepository(db);
        var library = new LibraryRepository(db, tracks);
        var kept = await library.UpsertAsync(File("kept.ogg", "f1", "Kept"), default);
        var gone = await library.UpsertAsync(File("gone.ogg", "f2", "Gone"), default);

        Assert.Equal(1, await library.RemoveMissingAsync(["kept.ogg"], default));

        Assert.Equal("kept.ogg", await library.GetRelativePathAsync(kept.TrackId, default));
        Assert.Null(await library.GetRelativePathAsync(gone.TrackId, default));
        Assert.False((await tracks.GetAsync(gone.TrackId, default))!.HasAudio);
    }

    private static LibraryTrackInput File(string path, string fingerprint, string title) =>
        new(path, fingerprint, 1234, Modified, Path.GetExtension(path).TrimStart('.'), title, ["Artist"], 180_000,
            new CatalogFeatures(0.5f, 0.5f, 0.5f, 0.5f, 120f));

    private async Task<NpgsqlDataSource> MigratedAsync(string name)
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync(name);
        await DatabaseMigrator.MigrateAsync(connectionString);
        return NpgsqlDataSource.Create(connectionString);
    }
}
