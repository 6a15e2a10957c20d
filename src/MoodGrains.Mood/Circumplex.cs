namespace MoodGrains.Mood;

/// <summary>A point in Russell's circumplex: valence (unpleasant -1 .. pleasant +1) and arousal (calm -1 .. excited +1).</summary>
public readonly record struct MoodPoint(float Valence, float Arousal)
{
    public float DistanceTo(MoodPoint other) => MathF.Sqrt(((Valence - other.Valence) * (Valence - other.Valence)) + ((Arousal - other.Arousal) * (Arousal - other.Arousal)));
}

/// <summary>
/// Maps emotion probabilities to valence/arousal as the probability-weighted mean of each emotion's position.
/// </summary>
/// <remarks>
/// Positions, on a -1..1 scale:
/// happy (0.83, 0.53), sad (-0.65, -0.27), angry (-0.52, 0.58), fear (-0.34, 0.64) are the values the product
/// brief quotes for Russell's circumplex (Russell 1980, "A circumplex model of affect", J. Pers. Soc. Psych. 39(6)).
/// Disgust (-0.60, 0.35) and surprise (0.20, 0.85) are our placements: Russell's figure has no "disgust" or
/// "surprise"; we put disgust between "annoyed" and "distressed" (unpleasant, moderately aroused) and surprise
/// next to "astonished" (high arousal, mildly pleasant). Neutral is the origin by definition.
/// The recommender uses the same mapping so that moods read from faces and moods targeted in music agree.
/// </remarks>
public static class Circumplex
{
    private static readonly MoodPoint[] Positions =
    [
        new(-0.52f, 0.58f), // angry
        new(-0.60f, 0.35f), // disgust
        new(-0.34f, 0.64f), // fear
        new(0.83f, 0.53f),  // happy
        new(-0.65f, -0.27f), // sad
        new(0.20f, 0.85f),  // surprise
        new(0f, 0f),        // neutral
    ];

    public static MoodPoint PositionOf(Emotion emotion) => Positions[(int)emotion];

    public static MoodPoint ToMoodPoint(EmotionScores scores)
    {
        float valence = 0, arousal = 0;
        for (var i = 0; i < Emotions.Count; i++)
        {
            valence += scores.Probabilities[i] * Positions[i].Valence;
            arousal += scores.Probabilities[i] * Positions[i].Arousal;
        }

        return new MoodPoint(Math.Clamp(valence, -1f, 1f), Math.Clamp(arousal, -1f, 1f));
    }
}
