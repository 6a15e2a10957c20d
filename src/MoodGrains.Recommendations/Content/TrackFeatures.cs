namespace MoodGrains.Recommendations.Content;

/// <summary>
/// Audio features as Spotify defines them (0..1, tempo in BPM). Any of them may be missing: a catalogue imported
/// without audio features, or a track not resolved yet.
/// </summary>
public sealed record TrackFeatures(float? Valence, float? Energy, float? Danceability, float? Acousticness, float? Tempo)
{
    public static TrackFeatures None { get; } = new(null, null, null, null, null);

    public const int Count = 5;

    public static IReadOnlyList<string> Names { get; } = ["valence", "energy", "danceability", "acousticness", "tempo"];

    public float? this[int index] => index switch
    {
        0 => Valence,
        1 => Energy,
        2 => Danceability,
        3 => Acousticness,
        4 => Tempo,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public bool IsEmpty => Valence is null && Energy is null && Danceability is null && Acousticness is null && Tempo is null;
}
