namespace MoodGrains.Mood;

/// <summary>The seven FER-2013 emotions, in the dataset's own label order (0..6); every model output is mapped to it.</summary>
public enum Emotion
{
    Angry = 0,
    Disgust = 1,
    Fear = 2,
    Happy = 3,
    Sad = 4,
    Surprise = 5,
    Neutral = 6,
}

public static class Emotions
{
    public const int Count = 7;

    /// <summary>Lower-case names in canonical order, as used by folders, JSON and SQL columns.</summary>
    public static IReadOnlyList<string> Names { get; } = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    public static bool TryParse(string name, out Emotion emotion)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                emotion = (Emotion)i;
                return true;
            }
        }

        emotion = default;
        return false;
    }
}
