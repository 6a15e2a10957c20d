using System.Diagnostics;
using System.Globalization;
using MoodGrains.Recommendations.Collaborative;

namespace MoodGrains.Training.Recommendations;

public sealed record ModelScore(string Name, RankingResult Test, double TrainSeconds, string Parameters);

/// <summary>Hyper-parameters of every compared model; <see cref="Tuned"/> holds the values chosen on the validation split.</summary>
public sealed record EvaluationParameters(ItemKnnOptions ItemKnn, ImplicitAlsOptions Als, float HybridKnnWeight, float HybridPopularityWeight)
{
    /// <summary>
    /// Chosen by <c>moodgrains eval recs --tune</c> (seed 42) on the validation split carved from training;
    /// the test holdout played no part.
    /// </summary>
    public static EvaluationParameters Tuned { get; } = new(
        new ItemKnnOptions { Neighbours = 0, Shrink = 50 },
        new ImplicitAlsOptions { Factors = 128, Regularization = 80f, Alpha = 3f, Epsilon = 1f, Iterations = 15 },
        HybridKnnWeight: 0f,
        HybridPopularityWeight: 0f);
}

/// <summary>
/// The offline protocol on Last.fm-2k:
/// 1. test split: for every user, 20% of their artists (seeded shuffle) are held out; the rest is training;
/// 2. validation split: the same 20% rule applied to the training part only (seed + 1);
/// 3. hyper-parameters are chosen on the validation split (when tuning), then every model is retrained on the full
///    training part and scored on the test holdout, ranking all artists the user has not seen in training.
/// </summary>
public static class LastFmEvaluation
{
    public const int K = 10;

    public static IReadOnlyList<ModelScore> Run(InteractionMatrix plays, int seed, EvaluationParameters parameters)
    {
        var split = HoldoutSplit.Create(plays, 0.2, seed);
        var results = new List<ModelScore>();

        var (popularity, popSeconds) = Timed(() => PopularityModel.Train(split.Train));
        results.Add(new ModelScore("popularity", RankingEvaluator.Evaluate(popularity, split, K), popSeconds, ""));

        var (knn, knnSeconds) = Timed(() => ItemKnnModel.Train(split.Train, parameters.ItemKnn));
        results.Add(new ModelScore("item-knn", RankingEvaluator.Evaluate(knn, split, K), knnSeconds, Describe(parameters.ItemKnn)));

        var (als, alsSeconds) = Timed(() => ImplicitAlsModel.Train(split.Train, parameters.Als));
        results.Add(new ModelScore("ials-cg", RankingEvaluator.Evaluate(als, split, K), alsSeconds, Describe(parameters.Als)));

        var hybrid = new BlendedScorer([als, knn, popularity], [1f, parameters.HybridKnnWeight, parameters.HybridPopularityWeight]);
        results.Add(new ModelScore("hybrid", RankingEvaluator.Evaluate(hybrid, split, K), knnSeconds + alsSeconds + popSeconds,
            string.Create(CultureInfo.InvariantCulture, $"ials + {parameters.HybridKnnWeight} * item-knn + {parameters.HybridPopularityWeight} * popularity (z-scored)")));
        return results;
    }

    /// <summary>
    /// Grid search on the validation split only. Returns the chosen parameters and a log of every trial.
    /// </summary>
    public static EvaluationParameters Tune(InteractionMatrix plays, int seed, Action<string> log)
    {
        var training = HoldoutSplit.Create(plays, 0.2, seed).Train;
        var validation = HoldoutSplit.Create(training, 0.2, seed + 1);

        ItemKnnOptions? bestKnn = null;
        var bestKnnScore = -1.0;
        foreach (var neighbours in new[] { 0, 200 })
        {
            foreach (var shrink in new[] { 0f, 10f, 50f })
            {
                var options = new ItemKnnOptions { Neighbours = neighbours, Shrink = shrink };
                var ndcg = RankingEvaluator.Evaluate(ItemKnnModel.Train(validation.Train, options), validation, K).Ndcg;
                log($"item-knn {Describe(options)}: validation ndcg@10 {ndcg:F4}");
                if (ndcg > bestKnnScore)
                {
                    (bestKnn, bestKnnScore) = (options, ndcg);
                }
            }
        }

        ImplicitAlsOptions? bestAls = null;
        var bestAlsScore = -1.0;
        foreach (var factors in new[] { 64, 128 })
        {
            foreach (var alpha in new[] { 1f, 3f, 10f })
            {
                foreach (var regularization in new[] { 1f, 30f, 80f })
                {
                    var options = new ImplicitAlsOptions { Factors = factors, Alpha = alpha, Regularization = regularization, Epsilon = 1f, Iterations = 15 };
                    var ndcg = RankingEvaluator.Evaluate(ImplicitAlsModel.Train(validation.Train, options), validation, K).Ndcg;
                    log($"ials {Describe(options)}: validation ndcg@10 {ndcg:F4}");
                    if (ndcg > bestAlsScore)
                    {
                        (bestAls, bestAlsScore) = (options, ndcg);
                    }
                }
            }
        }

        var knn = ItemKnnModel.Train(validation.Train, bestKnn!);
        var als = ImplicitAlsModel.Train(validation.Train, bestAls!);
        var popularity = PopularityModel.Train(validation.Train);
        (float Knn, float Pop) bestWeights = (0, 0);
        var bestHybrid = -1.0;
        foreach (var knnWeight in new[] { 0f, 0.25f, 0.5f, 1f, 2f })
        {
            foreach (var popWeight in new[] { 0f, 0.1f, 0.25f })
            {
                var ndcg = RankingEvaluator.Evaluate(new BlendedScorer([als, knn, popularity], [1f, knnWeight, popWeight]), validation, K).Ndcg;
                log(string.Create(CultureInfo.InvariantCulture, $"hybrid knn {knnWeight} pop {popWeight}: validation ndcg@10 {ndcg:F4}"));
                if (ndcg > bestHybrid)
                {
                    (bestWeights, bestHybrid) = ((knnWeight, popWeight), ndcg);
                }
            }
        }

        return new EvaluationParameters(bestKnn!, bestAls!, bestWeights.Knn, bestWeights.Pop);
    }

    public static string Describe(ItemKnnOptions o) =>
        string.Create(CultureInfo.InvariantCulture, $"neighbours={(o.Neighbours == 0 ? "all" : o.Neighbours.ToString(CultureInfo.InvariantCulture))} shrink={o.Shrink}");

    public static string Describe(ImplicitAlsOptions o) =>
        string.Create(CultureInfo.InvariantCulture, $"factors={o.Factors} alpha={o.Alpha} eps={o.Epsilon} reg={o.Regularization} iterations={o.Iterations} scaling={o.Scaling}");

    private static (T Value, double Seconds) Timed<T>(Func<T> train)
    {
        var watch = Stopwatch.StartNew();
        var value = train();
        return (value, watch.Elapsed.TotalSeconds);
    }
}
