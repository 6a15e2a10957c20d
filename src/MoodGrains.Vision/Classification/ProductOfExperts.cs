namespace MoodGrains.Vision.Classification;

/// <summary>
/// How the shipped configuration combines mini-Xception with the face-api head: the equal-weight geometric mean of
/// their probabilities, renormalised (a product of experts). The weights are fixed, not fitted: mini-Xception was
/// trained on FER-2013's training split and scores 84 % there, so any weight fitted on that split learns to trust it
/// alone, and nothing may be fitted on the test splits. A product rewards agreement and lets one confident model veto
/// a class the other merely finds plausible, which an arithmetic mean would keep.
/// </summary>
public static class ProductOfExperts
{
    // A probability of exactly zero would veto its class outright; the floor keeps a veto strong but finite.
    private const double ProbabilityFloor = 1e-6;

    public static float[] Combine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.IsEmpty)
        {
            throw new ArgumentException("Both experts must score the same, non-empty set of classes.");
        }

        var logits = new double[a.Length];
        var max = double.NegativeInfinity;
        for (var i = 0; i < a.Length; i++)
        {
            logits[i] = 0.5 * (Math.Log(Math.Max(a[i], ProbabilityFloor)) + Math.Log(Math.Max(b[i], ProbabilityFloor)));
            max = Math.Max(max, logits[i]);
        }

        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = Math.Exp(logits[i] - max);
            sum += logits[i];
        }

        var result = new float[a.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (float)(logits[i] / sum);
        }

        return result;
    }
}
