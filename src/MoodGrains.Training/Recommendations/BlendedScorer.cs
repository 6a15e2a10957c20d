using System.Numerics.Tensors;
using MoodGrains.Recommendations.Collaborative;

namespace MoodGrains.Training.Recommendations;

/// <summary>
/// A weighted sum of several models' per-user standardised scores (z-scores), so models on different scales
/// (dot products, summed similarities, log counts) can be blended with interpretable weights.
/// </summary>
public sealed class BlendedScorer(IReadOnlyList<IItemScorer> parts, IReadOnlyList<float> weights) : IItemScorer
{
    public int Items => parts[0].Items;

    public void Score(int user, Span<float> scores)
    {
        scores.Clear();
        var buffer = new float[scores.Length];
        for (var p = 0; p < parts.Count; p++)
        {
            if (weights[p] == 0)
            {
                continue;
            }

            parts[p].Score(user, buffer);
            Standardise(buffer);
            TensorPrimitives.MultiplyAdd(buffer, weights[p], scores, scores);
        }
    }

    /// <summary>In place: (x - mean) / std; a constant vector becomes zeros.</summary>
    public static void Standardise(Span<float> values)
    {
        var mean = TensorPrimitives.Sum(values) / values.Length;
        TensorPrimitives.Subtract(values, mean, values);
        var std = TensorPrimitives.Norm(values) / MathF.Sqrt(values.Length);
        if (std > 0)
        {
            TensorPrimitives.Divide(values, std, values);
        }
    }
}
