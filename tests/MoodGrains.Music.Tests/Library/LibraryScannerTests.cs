using System.Diagnostics;
using MoodGrains.Audio.Analysis;
using MoodGrains.Music.Library;
using MoodGrains.Music.Tests.Catalog;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Tests.Library;

/// <summary>
/// <see cref="LibraryScanner"/> on a folder of files made here with ffmpeg in every supported format, plus a corrupt
/// file, an untagged file, a byte-identical copy and a symbolic link leaving the folder.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LibraryScannerTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("moodgrains-scan-").FullName;

    private string Root => Path.Combine(_work, "library");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Every_file_of_a_mixed_folder_is_imported_or_skipped_with_its_reason()
    {
        await MakeFolderAsync();
        await using var db = await postgres.CreateDatabaseAsync();
        var library = new LibraryRepository(db.DataSource, db.Tracks);
        var progress = new List<LibraryScanProgress>();

        var report = await new LibraryScanner(library, new AudioAnalyzer()).ScanAsync(Root, new Inline(progress.Add));

        Assert.Equal(8, report.Found);
        Assert.Equal((6, 0, 0), (report.Imported, report.Updated, report.Unchanged));
        Assert.Equal(1, report.Ignored);
        var reasons = report.Skipped.ToDictionary(s => s.RelativePath, s => s.Reason);
        Assert.Equal(["broken.mp3", "outside.ogg", "zz-copy.flac"], reasons.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("duplicate of tone.flac", reasons["zz-copy.flac"], StringComparison.Ordinal);
        Assert.Contains("outside the library", reasons["outside.ogg"], StringComparison.Ordinal);
        Assert.Matches("^(unreadable|cannot decode)", reasons["broken.mp3"]);
        Assert.Equal(report.Found, report.Imported + report.Skipped.Count(s => s.RelativePath != "outside.ogg"));
        Assert.Equal((8, 8), (progress[^1].Done, progress[^1].Total));

        var files = (await library.ListAsync(default)).ToDictionary(f => f.RelativePath);
        Assert.Equal(["plain.wav", "sub/tone.mp3", "tone.flac", "tone.m4a", "tone.ogg", "tone.opus"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["flac", "m4a", "mp3", "ogg", "opus", "wav"], files.Values.Select(f => f.Format).Order(StringComparer.Ordinal));
        var ogg = (await db.Tracks.GetAsync(files["tone.ogg"].TrackId, default))!;
        Assert.Equal(("Ogg Tone", "Sine Artist"), (ogg.Title, ogg.Artists[0]));
        Assert.InRange(ogg.DurationMs, 3500, 4500);
        Assert.Equal(FeatureSource.Analysed, ogg.Sources.Tempo);
        Assert.True(ogg.HasAudio);
        Assert.Equal("Opus Tone", (await db.Tracks.GetAsync(files["tone.opus"].TrackId, default))!.Title);
        var plain = (await db.Tracks.GetAsync(files["plain.wav"].TrackId, default))!;
        Assert.Equal(("plain", LibraryScanner.UnknownArtist), (plain.Title, plain.Artists[0]));
        Assert.Equal(64, files["tone.flac"].Fingerprint.Length);

        Assert.NotNull(LibraryScanner.ResolveInside(Root, "sub/tone.mp3"));
        Assert.Null(LibraryScanner.ResolveInside(Root, "outside.ogg"));
        Assert.Null(LibraryScanner.ResolveInside(Root, "../outside/real.ogg"));
        Assert.Null(LibraryScanner.ResolveInside(Root, "/etc/passwd"));
    }

    [Fact]
    public async Task A_rescan_leaves_unchanged_files_alone_and_a_moved_file_keeps_its_track()
    {
        await MakeFolderAsync();
        await using var db = await postgres.CreateDatabaseAsync();
        var library = new LibraryRepository(db.DataSource, db.Tracks);
        var scanner = new LibraryScanner(library, new AudioAnalyzer());
        await scanner.ScanAsync(Root);
        var trackId = (await library.ListAsync(default)).Single(f => f.RelativePath == "sub/tone.mp3").TrackId;
        var tracksBefore = await db.Tracks.CountAsync(default);

        var again = await scanner.ScanAsync(Root);
        Directory.CreateDirectory(Path.Combine(Root, "moved"));
        File.Move(Path.Combine(Root, "sub", "tone.mp3"), Path.Combine(Root, "moved", "renamed.mp3"));
        var afterMove = await scanner.ScanAsync(Root);

        Assert.Equal((0, 0, 6), (again.Imported, again.Updated, again.Unchanged));
        Assert.Equal((0, 1, 5), (afterMove.Imported, afterMove.Updated, afterMove.Unchanged));
        Assert.Equal("moved/renamed.mp3", await library.GetRelativePathAsync(trackId, default));
        Assert.Equal(tracksBefore, await db.Tracks.CountAsync(default));
        Assert.Equal(6, await library.CountAsync(default));
    }

    private async Task MakeFolderAsync()
    {
        Directory.CreateDirectory(Path.Combine(Root, "sub"));
        Directory.CreateDirectory(Path.Combine(_work, "outside"));
        await ToneAsync("tone.ogg", "Ogg Tone", "-c:a", "libvorbis");
        await ToneAsync("tone.opus", "Opus Tone", "-c:a", "libopus");
        await ToneAsync("sub/tone.mp3", "Mp3 Tone", "-c:a", "libmp3lame");
        await ToneAsync("tone.flac", "Flac Tone", "-c:a", "flac");
        await ToneAsync("tone.m4a", "M4a Tone", "-c:a", "aac");
        await ToneAsync("plain.wav", null, "-c:a", "pcm_s16le");
        File.Copy(Path.Combine(Root, "tone.flac"), Path.Combine(Root, "zz-copy.flac"));
        await File.WriteAllTextAsync(Path.Combine(Root, "broken.mp3"), string.Concat(Enumerable.Repeat("not audio at all ", 500)));
        await File.WriteAllTextAsync(Path.Combine(Root, "notes.txt"), "ignored");
        File.Copy(Path.Combine(Root, "tone.ogg"), Path.Combine(_work, "outside", "real.ogg"));
        // Different bytes from tone.ogg would not matter: the link is refused before it is read.
        File.CreateSymbolicLink(Path.Combine(Root, "outside.ogg"), Path.Combine(_work, "outside", "real.ogg"));
    }

    /// <summary>Four seconds of a 440 Hz tone with a 2 Hz pulse, so the analyser finds a beat.</summary>
    private async Task ToneAsync(string relativePath, string? title, params string[] codec)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        string[] input = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=4:sample_rate=44100",
            "-af", "volume='0.3+0.7*gt(mod(t,0.5),0.25)':eval=frame", "-map_metadata", "-1", "-fflags", "+bitexact"];
        foreach (var arg in input.Concat(title is null ? [] : ["-metadata", $"title={title}", "-metadata", "artist=Sine Artist"]).Concat(codec))
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add(Path.Combine(Root, relativePath));
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed for {relativePath}: {error}");
    }

    private sealed class Inline(Action<LibraryScanProgress> report) : IProgress<LibraryScanProgress>
    {
        public void Report(LibraryScanProgress value) => report(value);
    }
}
