using MoodGrains.Audio.Analysis;
using MoodGrains.Audio.Decoding;
using MoodGrains.Audio.Demo;

namespace MoodGrains.Audio.Tests;

public sealed class DecodingAndRenderingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("moodgrains-audio-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [AudioToolsFact]
    public void An_unreadable_file_gives_an_error_naming_the_file()
    {
        var path = Path.Combine(_directory, "broken.mp3");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))]);

        var error = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(path));

        Assert.Contains("broken.mp3", error.Message);
        Assert.Contains("Cannot decode", error.Message);
    }

    [Fact]
    public void A_missing_file_gives_an_error_naming_the_file()
    {
        var error = Assert.Throws<AudioDecodeException>(() => AudioDecoder.Decode(Path.Combine(_directory, "nowhere.flac")));

        Assert.Contains("nowhere.flac", error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [AudioToolsFact]
    public async Task Rendered_demo_pieces_decode_and_analyse_to_their_composed_tempo_and_mode()
    {
        // Pieces 0..3 are one of each region; the first three keep the test short.
        var tracks = await DemoLibrary.MakeAsync(_directory, 3, seed: DemoLibrary.DefaultSeed);

        var manifest = DemoLibrary.ReadManifest(_directory);
        Assert.NotNull(manifest);
        Assert.Equal(tracks.Select(t => t.File), manifest.Select(t => t.File));
        var analyzer = new AudioAnalyzer();
        foreach (var track in tracks)
        {
            var result = analyzer.Analyze(Path.Combine(_directory, track.File));
            Assert.InRange(result.DurationSeconds, track.DurationS - 0.1, track.DurationS + 0.1);
            Assert.InRange(result.TempoBpm, track.TempoBpm * 0.96, track.TempoBpm * 1.04);
            Assert.Equal(track.Mode, result.Mode.ToString().ToLowerInvariant());
        }

        Assert.Equal(tracks.Select(t => t.Artist), manifest.Select(t => t.Artist));
        Assert.Equal(tracks.Count, tracks.Select(t => t.Artist).Distinct().Count());
    }
}
