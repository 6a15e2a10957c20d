namespace MoodGrains.Recommendations.Collaborative;

/// <summary>A trained model that scores every item for one known user (higher is better; only the order matters).</summary>
public interface IItemScorer
{
    int Items { get; }

    /// <summary>Writes a score for every item into <paramref name="scores"/> (length <see cref="Items"/>).</summary>
    void Score(int user, Span<float> scores);
}
