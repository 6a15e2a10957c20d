namespace MoodGrains.Mood;

/// <summary>A probability for each of the seven emotions, in <see cref="Emotion"/> order; sums to 1 (within rounding).</summary>
public sealed record EmotionScores(float[] Probabilities)
{
    /// <summary>The uninformative reading: every emotion equally likely.</summary>
    public static EmotionScores Uniform { get; } = new(Enumerable.Repeat(1f / Emotions.Count, Emotions.Count).ToArray());

    public float this[Emotion emotion] => Probabilities[(int)emotion];

    public Emotion Dominant
    {
        get
        {
            var best = 0;
            for (var i = 1; i < Probabilities.Length; i++)
            {
                if (Probabilities[i] > Probabilities[best])
                {
                    best = i;
                }
            }

            return (Emotion)best;
        }
    }

    /// <summary>Validates length and range and renormalises, so a reading from any source is safe to average.</summary>
    public static EmotionScores FromProbabilities(IReadOnlyList<float> values)
    {
        if (values.Count != Emotions.Count)
        {
            throw new ArgumentException($"Expected {Emotions.Count} emotion probabilities, got {values.Count}.", nameof(values));
        }

        var sum = 0f;
        foreach (var v in values)
        {
            if (!float.IsFinite(v) || v < 0)
            {
                throw new ArgumentException("Emotion probabilities must be finite and non-negative.", nameof(values));
            }

            sum += v;
        }

        if (sum <= 0)
        {
            throw new ArgumentException("Emotion probabilities must not all be zero.", nameof(values));
        }

        return new EmotionScores(values.Select(v => v / sum).ToArray());
    }

    public bool Equals(EmotionScores? other) => other is not null && Probabilities.AsSpan().SequenceEqual(other.Probabilities);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in Probabilities)
        {
            hash.Add(p);
        }

        return hash.ToHashCode();
    }
}
