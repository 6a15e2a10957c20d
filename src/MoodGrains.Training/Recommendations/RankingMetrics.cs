namespace MoodGrains.Training.Recommendations;

/// <summary>Top-k ranking metrics with binary relevance, as used in implicit-feedback evaluation.</summary>
public static class RankingMetrics
{
    public static double PrecisionAt(int k, IReadOnlyList<int> ranked, IReadOnlySet<int> relevant) =>
        k == 0 ? 0 : (double)Hits(k, ranked, relevant) / k;

    /// <summary>Hits in the top k over all relevant items.</summary>
    public static double RecallAt(int k, IReadOnlyList<int> ranked, IReadOnlySet<int> relevant) =>
        relevant.Count == 0 ? 0 : (double)Hits(k, ranked, relevant) / relevant.Count;

    /// <summary>DCG with gain 1/log2(rank + 1), normalised by the ideal DCG of min(k, |relevant|) hits.</summary>
    public static double NdcgAt(int k, IReadOnlyList<int> ranked, IReadOnlySet<int> relevant)
    {
        if (relevant.Count == 0)
        {
            return 0;
        }

        double dcg = 0, ideal = 0;
        var n = Math.Min(k, ranked.Count);
        for (var i = 0; i < n; i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                dcg += 1 / Math.Log2(i + 2);
            }
        }

        for (var i = 0; i < Math.Min(k, relevant.Count); i++)
        {
            ideal += 1 / Math.Log2(i + 2);
        }

        return dcg / ideal;
    }

    /// <summary>Average precision over the top k, normalised by min(k, |relevant|) so a perfect list scores 1.</summary>
    public static double AveragePrecisionAt(int k, IReadOnlyList<int> ranked, IReadOnlySet<int> relevant)
    {
        if (relevant.Count == 0)
        {
            return 0;
        }

        double sum = 0;
        var hits = 0;
        var n = Math.Min(k, ranked.Count);
        for (var i = 0; i < n; i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                hits++;
                sum += (double)hits / (i + 1);
            }
        }

        return sum / Math.Min(k, relevant.Count);
    }

    /// <summary>1 when any relevant item is in the top k.</summary>
    public static double HitAt(int k, IReadOnlyList<int> ranked, IReadOnlySet<int> relevant) => Hits(k, ranked, relevant) > 0 ? 1 : 0;

    private static int Hits(int k, IReadOnlyList<int> ranked, IReadOnlySet<int> relevant)
    {
        var hits = 0;
        var n = Math.Min(k, ranked.Count);
        for (var i = 0; i < n; i++)
        {
            if (relevant.Contains(ranked[i]))
            {
                hits++;
            }
        }

        return hits;
    }
}
