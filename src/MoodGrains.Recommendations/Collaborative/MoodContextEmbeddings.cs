using System.Numerics.Tensors;
using MoodGrains.Recommendations.Mood;

namespace MoodGrains.Recommendations.Collaborative;

/// <summary>
/// The mood-conditioned part of the factorization: one vector per mood region (<see cref="MoodLabel"/>) in the same
/// space as the users, so a listener in mood r is scored with (x_u + weight * c_r) . y_i.
/// </summary>
/// <remarks>
/// c_r is solved like a user (fold-in against the trained item factors) whose "history" is everything played while
/// listeners were in region r, weighted by how sure the mood reading was. Choosing a shift over a separate user x mood
/// factor keeps the parameter count at 4 vectors, so sparse histories cannot overfit it, and it keeps the group
/// trick of serving (average the shifted user vectors, one pass over the items).
/// </remarks>
public sealed class MoodContextEmbeddings
{
    private readonly float[][] _vectors;

    private MoodContextEmbeddings(float[][] vectors) => _vectors = vectors;

    public ReadOnlySpan<float> this[MoodLabel mood] => _vectors[(int)mood];

    /// <summary>All-zero embeddings: the mood-blind model.</summary>
    public static MoodContextEmbeddings None(int factors) =>
        new(Enumerable.Range(0, MoodLabels.Count).Select(_ => new float[factors]).ToArray());

    /// <param name="playsByMood">For each mood region, item -> accumulated play strength in that region.</param>
    public static MoodContextEmbeddings Train(ImplicitAlsModel model, IReadOnlyList<IReadOnlyDictionary<int, float>> playsByMood, ImplicitAlsOptions options)
    {
        if (playsByMood.Count != MoodLabels.Count)
        {
            throw new ArgumentException($"Expected {MoodLabels.Count} mood regions.", nameof(playsByMood));
        }

        var vectors = new float[MoodLabels.Count][];
        for (var r = 0; r < MoodLabels.Count; r++)
        {
            var ordered = playsByMood[r].OrderBy(p => p.Key).ToArray();
            vectors[r] = ordered.Length == 0
                ? new float[model.Factors]
                : model.FoldIn(ordered.Select(p => p.Key).ToArray(), ordered.Select(p => p.Value).ToArray(), options);
        }

        return new MoodContextEmbeddings(vectors);
    }

    /// <summary>destination = user + weight * c_mood.</summary>
    public void Shift(ReadOnlySpan<float> user, MoodLabel mood, float weight, Span<float> destination) =>
        TensorPrimitives.MultiplyAdd(_vectors[(int)mood], weight, user, destination);
}
