using MoodGrains.Mood;

namespace MoodGrains.Abstractions.Mood;

/// <summary>
/// A listener's mood as a time-decayed, confidence-weighted mean of face readings.
/// </summary>
/// <remarks>
/// Each reading enters with weight = its confidence (detection score, 0..1); all earlier weight halves every
/// half-life. The mood is the weighted mean of the readings' probabilities, so one odd frame moves it a little and a
/// sustained change takes over within a couple of half-lives. A frame without a usable face adds nothing.
/// <see cref="Confidence"/> is 1 - 2^-W for the decayed total weight W: one confident reading gives 0.5, a steady
/// stream of them approaches 1, and it fades back toward 0 when readings stop.
/// </remarks>
[GenerateSerializer, Immutable, Alias("moodgrains.SmoothedMood")]
public sealed record SmoothedMood(
    [property: Id(0)] float[] WeightedSums,
    [property: Id(1)] float Weight,
    [property: Id(2)] DateTimeOffset UpdatedAt)
{
    public static SmoothedMood Empty { get; } = new(new float[Emotions.Count], 0f, DateTimeOffset.MinValue);

    public bool HasReadings => Weight > 0;

    /// <summary>Folds one reading in; readings from the past (clock skew, reordering) count as arriving now.</summary>
    public SmoothedMood Add(EmotionScores reading, float confidence, DateTimeOffset at, TimeSpan halfLife)
    {
        if (!float.IsFinite(confidence) || confidence <= 0)
        {
            return this;
        }

        confidence = Math.Min(confidence, 1f);
        var when = at > UpdatedAt ? at : UpdatedAt;
        var decay = Decay(when, halfLife);
        var sums = new float[Emotions.Count];
        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] = (WeightedSums[i] * decay) + (confidence * reading.Probabilities[i]);
        }

        return new SmoothedMood(sums, (Weight * decay) + confidence, when);
    }

    /// <summary>The mood's probabilities; uniform before any reading.</summary>
    public EmotionScores Scores => HasReadings
        ? new EmotionScores(WeightedSums.Select(s => s / Weight).ToArray())
        : EmotionScores.Uniform;

    public float Confidence(DateTimeOffset now, TimeSpan halfLife) =>
        HasReadings ? 1f - MathF.Pow(2f, -(Weight * Decay(now, halfLife))) : 0f;

    private float Decay(DateTimeOffset now, TimeSpan halfLife)
    {
        if (!HasReadings || now <= UpdatedAt)
        {
            return 1f;
        }

        return (float)Math.Pow(2, -(now - UpdatedAt).TotalSeconds / halfLife.TotalSeconds);
    }

    public bool Equals(SmoothedMood? other) =>
        other is not null && Weight.Equals(other.Weight) && UpdatedAt == other.UpdatedAt && WeightedSums.AsSpan().SequenceEqual(other.WeightedSums);

    public override int GetHashCode() => HashCode.Combine(Weight, UpdatedAt);
}

/// <summary>
/// A mood as pages and rooms see it: probabilities, dominant emotion, circumplex position, confidence.
/// <see cref="Manual"/>: picked by hand; it holds (no decay) until the member changes or clears it or a camera reading replaces it.
/// </summary>
[GenerateSerializer, Immutable, Alias("moodgrains.MoodSnapshot")]
public sealed record MoodSnapshot(
    [property: Id(0)] EmotionScores Scores,
    [property: Id(1)] Emotion Dominant,
    [property: Id(2)] MoodPoint Point,
    [property: Id(3)] float Confidence,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] bool Manual = false)
{
    /// <summary>A hand-picked mood: all probability on <paramref name="emotion"/>, at its own fixed confidence.</summary>
    public static MoodSnapshot Picked(Emotion emotion, float confidence, DateTimeOffset at)
    {
        var probabilities = new float[Emotions.Count];
        probabilities[(int)emotion] = 1f;
        var scores = new EmotionScores(probabilities);
        return new MoodSnapshot(scores, emotion, Circumplex.ToMoodPoint(scores), confidence, at, Manual: true);
    }

    public static MoodSnapshot From(SmoothedMood mood, DateTimeOffset now, TimeSpan halfLife)
    {
        var scores = mood.Scores;
        return new MoodSnapshot(scores, scores.Dominant, Circumplex.ToMoodPoint(scores), mood.Confidence(now, halfLife), mood.UpdatedAt);
    }
}

/// <summary>One reading handed to a user's grain: emotion probabilities and how much to trust them.</summary>
[GenerateSerializer, Immutable, Alias("moodgrains.MoodReading")]
public sealed record MoodReading(
    [property: Id(0)] EmotionScores Scores,
    [property: Id(1)] float Confidence,
    [property: Id(2)] DateTimeOffset CapturedAt,
    [property: Id(3)] MoodSource Source);

public enum MoodSource
{
    Camera = 0,

    /// <summary>Picked by hand on a page without a camera.</summary>
    Manual = 1,
}
