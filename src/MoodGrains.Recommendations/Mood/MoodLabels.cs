using MoodGrains.Mood;

namespace MoodGrains.Recommendations.Mood;

/// <summary>The four music-mood labels of the Spotify mood dataset (and of Last.fm mood tags), placed in the circumplex.</summary>
public enum MoodLabel
{
    Happy = 0,
    Sad = 1,
    Energetic = 2,
    Calm = 3,
}

public static class MoodLabels
{
    public const int Count = 4;

    public static IReadOnlyList<string> Names { get; } = ["happy", "sad", "energetic", "calm"];

    /// <summary>
    /// Happy and Sad reuse the face-side positions (<see cref="Circumplex"/>) so that a happy face and a happy song
    /// are the same point. Energetic and Calm are not FER emotions; they sit where Russell (1980) puts "aroused"
    /// (high arousal, mildly pleasant) and "calm/relaxed" (pleasant, low arousal).
    /// </summary>
    public static MoodPoint PositionOf(MoodLabel label) => label switch
    {
        MoodLabel.Happy => Circumplex.PositionOf(Emotion.Happy),
        MoodLabel.Sad => Circumplex.PositionOf(Emotion.Sad),
        MoodLabel.Energetic => new MoodPoint(0.25f, 0.85f),
        MoodLabel.Calm => new MoodPoint(0.60f, -0.60f),
        _ => throw new ArgumentOutOfRangeException(nameof(label)),
    };

    public static bool TryParse(string name, out MoodLabel label)
    {
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(Names[i], name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                label = (MoodLabel)i;
                return true;
            }
        }

        label = default;
        return false;
    }

    /// <summary>The label whose position is closest to <paramref name="point"/>: the discretised mood region.</summary>
    public static MoodLabel Nearest(MoodPoint point)
    {
        var best = MoodLabel.Happy;
        var bestDistance = float.MaxValue;
        for (var i = 0; i < Count; i++)
        {
            var d = point.DistanceTo(PositionOf((MoodLabel)i));
            if (d < bestDistance)
            {
                (best, bestDistance) = ((MoodLabel)i, d);
            }
        }

        return best;
    }

    /// <summary>
    /// Last.fm free-text tags that name a mood: "happy", "sad", "chillout", ... Anything else (genres, places) is null.
    /// </summary>
    public static MoodLabel? FromTag(string tag) => tag.Trim().ToLowerInvariant() switch
    {
        "happy" or "feel good" or "feelgood" or "cheerful" or "fun" or "joyful" or "uplifting" or "summer" or "sunny" or "good mood" => MoodLabel.Happy,
        "sad" or "melancholic" or "melancholy" or "depressing" or "depressive" or "sadness" or "heartbreak" or "lonely" or "dark" or "emotional" => MoodLabel.Sad,
        "energetic" or "energy" or "party" or "upbeat" or "dance" or "danceable" or "workout" or "aggressive" or "driving" or "power" => MoodLabel.Energetic,
        "chillout" or "chill" or "chill out" or "mellow" or "relaxing" or "relax" or "calm" or "ambient" or "soothing" or "peaceful" or "downtempo" or "lounge" => MoodLabel.Calm,
        _ => null,
    };
}
