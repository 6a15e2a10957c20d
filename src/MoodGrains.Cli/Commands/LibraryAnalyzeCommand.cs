using System.Globalization;
using System.Text.Json;
using MoodGrains.Audio.Analysis;
using MoodGrains.Audio.Decoding;
using MoodGrains.Recommendations.Content;

namespace MoodGrains.Cli.Commands;

/// <summary>Decodes one audio file and prints the tempo, key, mode, loudness, features and mood position found in it.</summary>
internal sealed class LibraryAnalyzeCommand : ICliCommand
{
    private const string UsageText = "moodgrains library analyze FILE [--json]";

    public IReadOnlyList<string> Path { get; } = ["library", "analyze"];

    public string Summary => "tempo, key, mode, loudness and valence/arousal of one audio file";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText, [], ["--json"], positional: true);
        if (parsed.Positional.Count != 1)
        {
            throw parsed.Fail("give exactly one FILE");
        }

        var file = parsed.Positional[0];
        AudioAnalysis analysis;
        try
        {
            analysis = CreateAnalyzer().Analyze(file, cancellationToken);
        }
        catch (AudioDecodeException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Task.FromResult(1);
        }

        var report = ToReport(file, analysis);
        if (parsed.Has("--json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            foreach (var (name, value) in report)
            {
                Console.WriteLine($"{name,-17} {Convert.ToString(value, CultureInfo.InvariantCulture)}");
            }
        }

        return Task.FromResult(0);
    }

    /// <summary>The analyser with the shipped content mood map (<see cref="ContentMoodMap.Default"/>) behind its delegate.</summary>
    internal static AudioAnalyzer CreateAnalyzer()
    {
        var map = ContentMoodMap.Default;
        return new AudioAnalyzer(f =>
            map.Predict(new TrackFeatures(f.Valence, f.Energy, f.Danceability, f.Acousticness, f.Tempo)) is { } point
                ? new MoodPosition(point.Valence, point.Arousal)
                : null);
    }

    /// <summary>
    /// Flat, snake_case keys. "valence"/"arousal" are the mood position; the Spotify-style valence feature that feeds
    /// the map is "audio_valence".
    /// </summary>
    internal static Dictionary<string, object?> ToReport(string file, AudioAnalysis a) => new()
    {
        ["file"] = file,
        ["duration_s"] = Math.Round(a.DurationSeconds, 2),
        ["tempo_bpm"] = a.TempoBpm,
        ["tempo_confidence"] = a.TempoConfidence,
        ["key"] = a.Key,
        ["mode"] = a.Mode.ToString().ToLowerInvariant(),
        ["key_confidence"] = a.KeyConfidence,
        ["loudness_dbfs"] = a.LoudnessDbfs,
        ["rms_dbfs"] = a.RmsDbfs,
        ["energy"] = a.Features.Energy,
        ["danceability"] = a.Features.Danceability,
        ["acousticness"] = a.Features.Acousticness,
        ["audio_valence"] = a.Features.Valence,
        ["valence"] = a.Mood is { } m ? Math.Round(m.Valence, 3) : null,
        ["arousal"] = a.Mood is { } n ? Math.Round(n.Arousal, 3) : null,
        ["decode_ms"] = Math.Round(a.DecodeMs, 1),
        ["analysis_ms"] = Math.Round(a.AnalysisMs, 1),
    };
}
