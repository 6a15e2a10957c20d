namespace MoodGrains.Vision.Classification;

/// <summary>
/// How the shipped configurations combine networks (mini-Xception with the face-api head, and our CNN with either or
/// both): the equal-weight geometric mean of their probabilities, renormalised (a product of experts). The weights are fixed, not fitted: mini-Xception was
/// trained on FER-2013's training split and scores 84 % there, so any weight fitted on that split learns to trust it
/// alone, and nothing may be fitted on the test splits. A product rewards agreement and lets one confident model veto
/// a class the other merely finds plausible, which an arithmetic mean would keep.
/// </summary>
public static class ProductOfExperts
{
    // A probability of exactly zero would veto its class outright; the floor keeps a veto strong but finite.
    private const double ProbabilityFloor = 1e-6;

    public static float[] Combine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Combine([a.ToArray(), b.ToArray()]);

    /// <summary>
    /// The geometric mean of any number of experts, each with weight 1/n, renormalised. Two experts give exactly the
    /// two-expert rule (the sum of two logs halved).
    /// </summary>
    public static float[] Combine(IReadOnlyList<float[]> experts)
    {
        if (experts.Count == 0 || experts[0].Length == 0 || experts.Any(e => e.Length != experts[0].Length))
        {
            throw new ArgumentException("Every expert must score the same, non-empty set of classes.", nameof(experts));
        }

        var logits = new double[experts[0].Length];
        var max = double.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            var sum = 0.0;
            foreach (var expert in experts)
            {
                sum += Math.Log(Math.Max(expert[i], ProbabilityFloor));
            }

            logits[i] = sum / experts.Count;
            max = Math.Max(max, logits[i]);
        }

        var total = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = Math.Exp(logits[i] - max);
            total += logits[i];
        }

        var result = new float[logits.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (float)(logits[i] / total);
        }

        return result;
    }
}
