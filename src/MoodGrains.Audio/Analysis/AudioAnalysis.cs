namespace MoodGrains.Audio.Analysis;

public enum KeyMode
{
    Major,
    Minor,
}

/// <summary>
/// The five features the content mood map reads, on Spotify's scales (0..1; tempo in BPM), so a file analysed here and
/// a track imported with Spotify's audio features land in the same place.
/// </summary>
public sealed record AudioFeatures(float Valence, float Energy, float Danceability, float Acousticness, float Tempo);

/// <summary>A point on the valence/arousal circumplex, both in -1..1.</summary>
public readonly record struct MoodPosition(float Valence, float Arousal);

/// <summary>What <see cref="AudioAnalyzer"/> found in one file or buffer.</summary>
/// <param name="TempoConfidence">Normalised autocorrelation of the onset envelope at the beat period (0..1).</param>
/// <param name="KeyConfidence">Correlation of the chroma with the winning key profile (-1..1).</param>
/// <param name="LoudnessDbfs">Gated mean loudness (BS.1770 gating, without its K-weighting filter), dB below full scale.</param>
/// <param name="Mood">The features through the content mood map, or null when no map was given.</param>
/// <param name="DecodeMs">Time spent in ffmpeg (0 when analysing a buffer).</param>
/// <param name="AnalysisMs">Time spent in the analysis itself, on one thread.</param>
public sealed record AudioAnalysis(
    double DurationSeconds,
    double TempoBpm,
    double TempoConfidence,
    string Key,
    KeyMode Mode,
    double KeyConfidence,
    double LoudnessDbfs,
    double RmsDbfs,
    AudioFeatures Features,
    MoodPosition? Mood,
    double DecodeMs,
    double AnalysisMs);
