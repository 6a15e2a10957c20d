using MoodGrains.Recommendations.Collaborative;
using MoodGrains.Recommendations.Mood;
using MoodGrains.Testing;
using MoodGrains.Training.Recommendations;

namespace MoodGrains.Training.Tests;

public sealed class LastFmDatasetTests
{
    [SharedDataFact]
    public void Loads_the_published_counts_and_mood_tags()
    {
        var data = LastFmDataset.Load(SharedData.PathOf("lastfm-2k")!);
        Assert.Equal(1892, data.Plays.Users);
        Assert.Equal(17632, data.Plays.Items);
        Assert.Equal(92834, data.Plays.NonZeros);

        var counts = data.LoadMoodTagCounts(tag => MoodLabels.FromTag(tag) is { } m ? (int)m : null, MoodLabels.Count);
        for (var m = 0; m < MoodLabels.Count; m++)
        {
            var tagged = Enumerable.Range(0, data.Plays.Items).Count(a => counts[a, m] > 0);
            Assert.InRange(tagged, 100, data.Plays.Items);
        }
    }

    [SharedDataFact]
    public void Popularity_baseline_is_far_below_personalised_item_knn()
    {
        var data = LastFmDataset.Load(SharedData.PathOf("lastfm-2k")!);
        var split = HoldoutSplit.Create(data.Plays, 0.2, 42);
        var popularity = RankingEvaluator.Evaluate(PopularityModel.Train(split.Train), split);
        var knn = RankingEvaluator.Evaluate(ItemKnnModel.Train(split.Train), split);
        Assert.True(knn.Ndcg > 2 * popularity.Ndcg);
        Assert.InRange(knn.Ndcg, 0.1, 0.5);
    }
}
