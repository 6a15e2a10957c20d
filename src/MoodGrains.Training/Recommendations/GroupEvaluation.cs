using System.Globalization;
using MoodGrains.Mood;
using MoodGrains.Recommendations.Collaborative;
using MoodGrains.Recommendations.Content;
using MoodGrains.Recommendations.Hybrid;
using MoodGrains.Recommendations.Serving;

namespace MoodGrains.Training.Recommendations;

public sealed record GroupRuleResult(GroupAggregation Rule, double MeanMemberNdcg, double WorstMemberNdcg, double MeanMemberHit, double WorstMemberHit);

/// <summary>
/// Rooms on Last.fm-2k: seeded random groups of users share one top-10 from <see cref="HybridRecommender"/> (trained on
/// the 80% training part, everyone's training artists in the freshness window); each member's held-out artists judge it.
/// Reports the mean member NDCG@10 and hit rate and the room's worst member, per aggregation rule.
/// </summary>
public static class GroupEvaluation
{
    public static IReadOnlyList<GroupRuleResult> Run(InteractionMatrix plays, int seed, ImplicitAlsOptions options, int rooms = 300, int roomSize = 4)
    {
        var split = HoldoutSplit.Create(plays, 0.2, seed);
        var snapshot = ToSnapshot(split.Train, options);
        var random = new Random(seed + 2);
        var eligible = Enumerable.Range(0, plays.Users).Where(u => split.Test[u].Count > 0).ToArray();
        var groups = Enumerable.Range(0, rooms).Select(_ => random.GetItems(eligible, roomSize).Distinct().ToArray()).ToArray();

        var results = new List<GroupRuleResult>();
        foreach (var rule in Enum.GetValues<GroupAggregation>())
        {
            var recommender = new HybridRecommender(snapshot, new HybridOptions { MoodWeight = 0, Aggregation = rule });
            var meanNdcg = new double[groups.Length];
            var worstNdcg = new double[groups.Length];
            var meanHit = new double[groups.Length];
            var worstHit = new double[groups.Length];
            Parallel.For(0, groups.Length, g =>
            {
                var members = groups[g];
                var window = members.SelectMany(u => split.Train.RowItems(u).ToArray()).Select(i => (long)i).ToHashSet();
                var request = new RecommendationRequest(members.Select(u => new Listener(Name(u))).ToArray(), new MoodPoint(0, 0), 10) { RecentlyPlayed = window };
                var ranked = recommender.Recommend(request).Select(r => (int)r.TrackId).ToArray();
                var ndcg = members.Select(u => RankingMetrics.NdcgAt(10, ranked, split.Test[u])).ToArray();
                var hit = members.Select(u => RankingMetrics.HitAt(10, ranked, split.Test[u])).ToArray();
                (meanNdcg[g], worstNdcg[g], meanHit[g], worstHit[g]) = (ndcg.Average(), ndcg.Min(), hit.Average(), hit.Min());
            });
            results.Add(new GroupRuleResult(rule, meanNdcg.Average(), worstNdcg.Average(), meanHit.Average(), worstHit.Average()));
        }

        return results;
    }

    /// <summary>Artists become catalogue tracks (id = dense index), plays become play events without a mood reading.</summary>
    public static RecommenderSnapshot ToSnapshot(InteractionMatrix train, ImplicitAlsOptions options)
    {
        var catalog = Enumerable.Range(0, train.Items).Select(i => new CatalogTrack(i, Name(i), TrackFeatures.None)).ToArray();
        var events = new List<PlayEvent>(train.NonZeros);
        for (var u = 0; u < train.Users; u++)
        {
            var items = train.RowItems(u);
            var values = train.RowValues(u);
            for (var n = 0; n < items.Length; n++)
            {
                events.Add(new PlayEvent(Name(u), items[n], values[n], new MoodPoint(0, 0), 0));
            }
        }

        return RecommenderSnapshot.Train(catalog, events, new RecommenderTrainingOptions { Als = options });
    }

    private static string Name(int index) => index.ToString(CultureInfo.InvariantCulture);
}
