using MoodGrains.Recommendations.Hybrid;

namespace MoodGrains.Server.Recommendations;

/// <summary>Bound from the "Recommendations" configuration section.</summary>
public sealed class RecommendationsOptions
{
    public const string SectionName = "Recommendations";

    /// <summary>How often the model is retrained from listening_events (it is also trained once at start-up).</summary>
    public TimeSpan RetrainInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Only plays newer than this train the model; null trains on the whole history.</summary>
    public TimeSpan? HistoryWindow { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Rows fetched per round trip while streaming listening_events.</summary>
    public int ReadBatchSize { get; set; } = 50_000;

    public int Factors { get; set; } = 64;

    public float Regularization { get; set; } = 30f;

    public float Alpha { get; set; } = 3f;

    public int Iterations { get; set; } = 15;

    public GroupAggregation Aggregation { get; set; } = GroupAggregation.Fair;

    public int MaxPerArtist { get; set; } = 1;

    public IEnumerable<string> Validate()
    {
        if (RetrainInterval < TimeSpan.FromMinutes(1))
        {
            yield return "Recommendations:RetrainInterval must be at least 00:01:00.";
        }

        if (HistoryWindow is { } window && window <= TimeSpan.Zero)
        {
            yield return "Recommendations:HistoryWindow must be positive (or absent for the whole history).";
        }

        if (ReadBatchSize < 100)
        {
            yield return "Recommendations:ReadBatchSize must be at least 100.";
        }

        if (Factors is < 4 or > 512 || Iterations < 1 || !(Regularization >= 0) || !(Alpha > 0))
        {
            yield return "Recommendations: Factors must be 4..512, Iterations >= 1, Regularization >= 0 and Alpha > 0.";
        }

        if (MaxPerArtist < 1)
        {
            yield return "Recommendations:MaxPerArtist must be at least 1.";
        }
    }
}
