using MoodGrains.Training.Recommendations;

namespace MoodGrains.Training.Tests;

public sealed class RankingMetricsTests
{
    // Ranked list 10, 20, 30, 40; relevant {20, 40, 99}: hits at ranks 2 and 4.
    private static readonly int[] Ranked = [10, 20, 30, 40];
    private static readonly HashSet<int> Relevant = [20, 40, 99];

    [Fact]
    public void Precision_and_recall_count_hits_in_the_cutoff()
    {
        Assert.Equal(2.0 / 4, RankingMetrics.PrecisionAt(4, Ranked, Relevant), 10);
        Assert.Equal(1.0 / 2, RankingMetrics.PrecisionAt(2, Ranked, Relevant), 10);
        Assert.Equal(2.0 / 3, RankingMetrics.RecallAt(4, Ranked, Relevant), 10);
        Assert.Equal(1.0 / 3, RankingMetrics.RecallAt(3, Ranked, Relevant), 10);
    }

    [Fact]
    public void Ndcg_matches_the_hand_computed_value()
    {
        // DCG = 1/log2(3) + 1/log2(5); ideal with 3 relevant in the top 4 = 1 + 1/log2(3) + 1/log2(4).
        var dcg = (1 / Math.Log2(3)) + (1 / Math.Log2(5));
        var ideal = 1 + (1 / Math.Log2(3)) + 0.5;
        Assert.Equal(dcg / ideal, RankingMetrics.NdcgAt(4, Ranked, Relevant), 10);
        Assert.Equal(1.0, RankingMetrics.NdcgAt(2, [20, 40], Relevant), 10);
        Assert.Equal(0.0, RankingMetrics.NdcgAt(4, Ranked, new HashSet<int>()), 10);
    }

    [Fact]
    public void Average_precision_matches_the_hand_computed_value()
    {
        // Precision at the hits: 1/2 and 2/4; normalised by min(4, 3) = 3.
        Assert.Equal(((1.0 / 2) + (2.0 / 4)) / 3, RankingMetrics.AveragePrecisionAt(4, Ranked, Relevant), 10);
        Assert.Equal(1.0, RankingMetrics.AveragePrecisionAt(3, [99, 20, 40], Relevant), 10);
    }

    [Fact]
    public void Hit_rate_is_one_when_any_relevant_item_is_in_the_cutoff()
    {
        Assert.Equal(0.0, RankingMetrics.HitAt(1, Ranked, Relevant));
        Assert.Equal(1.0, RankingMetrics.HitAt(2, Ranked, Relevant));
    }
}
