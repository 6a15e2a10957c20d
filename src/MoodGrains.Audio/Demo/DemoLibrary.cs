using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MoodGrains.Audio.Demo;

/// <summary>One line of the demo library's manifest: a rendered piece, its made-up artist, and the mood it was composed for.</summary>
public sealed record DemoTrack(
    string Title,
    string Artist,
    string File,
    string Midi,
    double DurationS,
    int TempoBpm,
    string Key,
    string Mode,
    string Region,
    float Valence,
    float Arousal,
    int Seed,
    int Index);

/// <summary>
/// Makes the demo library: composes each piece (<see cref="DemoComposer"/>), renders its MIDI with Debian's
/// FluidSynth and the FluidR3 General MIDI soundfont (MIT), encodes to Ogg/Opus with ffmpeg, and writes
/// manifest.json beside the files. A piece whose MIDI bytes are unchanged and whose Opus file exists is not rendered
/// again, so a second run is quick.
/// </summary>
public static class DemoLibrary
{
    public const string ManifestFile = "manifest.json";
    public const int DefaultSeed = 12;
    public const int DefaultCount = 40;

    /// <summary>Where Debian's fluid-soundfont-gm puts the soundfont.</summary>
    public const string SoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Null when FluidSynth, the soundfont and ffmpeg are all there; otherwise what is missing.</summary>
    public static string? MissingTools()
    {
        var missing = new List<string>();
        if (!ExternalTool.IsOnPath("fluidsynth"))
        {
            missing.Add("fluidsynth (Debian package fluidsynth)");
        }

        if (!File.Exists(SoundFont))
        {
            missing.Add($"{SoundFont} (Debian package fluid-soundfont-gm)");
        }

        if (!ExternalTool.IsOnPath("ffmpeg"))
        {
            missing.Add("ffmpeg (Debian package ffmpeg)");
        }

        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    public static async Task<IReadOnlyList<DemoTrack>> MakeAsync(
        string directory, int count, int seed = DefaultSeed, IProgress<(int Done, int Total, string Title)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (MissingTools() is { } missing)
        {
            throw new InvalidOperationException($"Cannot render the demo library; missing: {missing}.");
        }

        Directory.CreateDirectory(directory);
        var tracks = new List<DemoTrack>();
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var piece = DemoComposer.Compose(i, seed);
            var stem = $"{i + 1:000}-{RegionName(piece.Region)}";
            var midiPath = Path.Combine(directory, stem + ".mid");
            var opusPath = Path.Combine(directory, stem + ".opus");
            var unchanged = File.Exists(opusPath) && File.Exists(midiPath) && (await File.ReadAllBytesAsync(midiPath, cancellationToken)).AsSpan().SequenceEqual(piece.Midi);
            if (!unchanged)
            {
                await File.WriteAllBytesAsync(midiPath, piece.Midi, cancellationToken);
                await RenderAsync(midiPath, opusPath, cancellationToken);
            }

            // The file's own duration: FluidSynth renders the release and reverb tails past the last bar.
            var duration = await DurationAsync(opusPath, cancellationToken) ?? piece.DurationSeconds;
            tracks.Add(new DemoTrack(
                piece.Title, piece.Artist, Path.GetFileName(opusPath), Path.GetFileName(midiPath), duration, piece.TempoBpm, piece.Key,
                piece.Mode.ToString().ToLowerInvariant(), RegionName(piece.Region), piece.Target.Valence, piece.Target.Arousal, seed, i));
            progress?.Report((i + 1, count, piece.Title));
        }

        await File.WriteAllTextAsync(Path.Combine(directory, ManifestFile), JsonSerializer.Serialize(tracks, Json), cancellationToken);
        return tracks;
    }

    /// <summary>The manifest in <paramref name="directory"/>, or null when there is none.</summary>
    public static IReadOnlyList<DemoTrack>? ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ManifestFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<List<DemoTrack>>(File.ReadAllText(path), Json) : null;
    }

    public static string RegionName(MoodRegion region) => region switch
    {
        MoodRegion.HappyEnergetic => "happy-energetic",
        MoodRegion.CalmContent => "calm-content",
        MoodRegion.SadLow => "sad-low",
        MoodRegion.TenseAngry => "tense-angry",
        _ => throw new ArgumentOutOfRangeException(nameof(region)),
    };

    private static async Task<double?> DurationAsync(string path, CancellationToken cancellationToken)
    {
        var text = await ExternalTool.RunAsync("ffprobe", "ffmpeg",
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", path], cancellationToken);
        return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? Math.Round(seconds, 2) : null;
    }

    /// <summary>MIDI to WAV with FluidSynth (faster than real time, no audio device), then WAV to Opus at 96 kb/s.</summary>
    public static async Task RenderAsync(string midiPath, string opusPath, CancellationToken cancellationToken)
    {
        var wavPath = opusPath + ".wav";
        try
        {
            await ExternalTool.RunAsync("fluidsynth", "fluidsynth",
                ["-ni", "-q", "-g", "0.6", "-r", "44100", "-F", wavPath, SoundFont, midiPath], cancellationToken);
            await ExternalTool.RunAsync("ffmpeg", "ffmpeg",
                ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-threads", "1", "-i", wavPath, "-c:a", "libopus", "-b:a", "96k", opusPath],
                cancellationToken);
        }
        finally
        {
            File.Delete(wavPath);
        }
    }
}
