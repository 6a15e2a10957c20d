using MoodGrains.Recommendations;
using MoodGrains.Recommendations.Collaborative;

namespace MoodGrains.Training.Recommendations;

public sealed record RankingResult(double Precision, double Recall, double Ndcg, double Map, double Coverage, int Users);

/// <summary>Ranks every item a user has not seen in training and scores the top k against the held-out set.</summary>
public static class RankingEvaluator
{
    public static RankingResult Evaluate(IItemScorer model, HoldoutSplit split, int k = 10, int parallelism = 0)
    {
        var users = Enumerable.Range(0, split.Train.Users).Where(u => split.Test[u].Count > 0).ToArray();
        var precision = new double[users.Length];
        var recall = new double[users.Length];
        var ndcg = new double[users.Length];
        var map = new double[users.Length];
        var recommended = new int[users.Length][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount };
        Parallel.For(0, users.Length, options, () => new float[model.Items], (n, _, scores) =>
        {
            var u = users[n];
            var ranked = Rank(model, split.Train, u, k, scores);
            var relevant = split.Test[u];
            precision[n] = RankingMetrics.PrecisionAt(k, ranked, relevant);
            recall[n] = RankingMetrics.RecallAt(k, ranked, relevant);
            ndcg[n] = RankingMetrics.NdcgAt(k, ranked, relevant);
            map[n] = RankingMetrics.AveragePrecisionAt(k, ranked, relevant);
            recommended[n] = ranked;
            return scores;
        }, _ => { });

        var distinct = recommended.SelectMany(r => r).Distinct().Count();
        return new RankingResult(Mean(precision), Mean(recall), Mean(ndcg), Mean(map), (double)distinct / model.Items, users.Length);
    }

    /// <summary>The top k of all items the user has not interacted with in training.</summary>
    public static int[] Rank(IItemScorer model, InteractionMatrix train, int user, int k, float[] scores)
    {
        model.Score(user, scores);
        foreach (var seen in train.RowItems(user))
        {
            scores[seen] = float.NegativeInfinity;
        }

        return TopK.Select(scores, k);
    }

    private static double Mean(double[] values) => values.Length == 0 ? 0 : values.Average();
}
