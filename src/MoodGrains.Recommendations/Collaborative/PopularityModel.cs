namespace MoodGrains.Recommendations.Collaborative;

/// <summary>The non-personalised baseline and cold-start prior: how many users played each item.</summary>
public sealed class PopularityModel : IItemScorer
{
    private readonly float[] _scores;

    private PopularityModel(float[] scores) => _scores = scores;

    public int Items => _scores.Length;

    /// <summary>log(1 + users) scaled to 0..1, so it can be blended with other 0..1 terms.</summary>
    public ReadOnlySpan<float> Prior => _scores;

    public static PopularityModel Train(InteractionMatrix interactions)
    {
        var counts = interactions.ItemCounts();
        var max = counts.Length == 0 ? 0 : counts.Max();
        var norm = MathF.Log(1 + max);
        var scores = counts.Select(c => norm > 0 ? MathF.Log(1 + c) / norm : 0f).ToArray();
        return new PopularityModel(scores);
    }

    public void Score(int user, Span<float> scores) => _scores.CopyTo(scores);
}
