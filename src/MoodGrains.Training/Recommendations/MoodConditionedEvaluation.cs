using MoodGrains.Recommendations;
using MoodGrains.Recommendations.Collaborative;
using MoodGrains.Recommendations.Mood;

namespace MoodGrains.Training.Recommendations;

public sealed record MoodHitRates(int Cases, double MoodBlind, double MoodAware);

public sealed record MoodEvaluationResult(float ContextWeight, MoodHitRates All, IReadOnlyDictionary<MoodLabel, MoodHitRates> PerMood, int TaggedArtists);

/// <summary>
/// Does knowing the listener's mood help? Last.fm artists carry mood tags (happy, sad, chillout, energetic, ...).
/// For every user and mood m such that some of the user's held-out artists carry m, both models rank all unseen
/// artists; a hit is any held-out m-tagged artist in the top 10. Mood-blind: x_u . y_i. Mood-aware:
/// (x_u + w c_m) . y_i with c_m learned from training plays of m-tagged artists (<see cref="MoodContextEmbeddings"/>).
/// w is chosen on the validation split carved from training.
/// </summary>
public static class MoodConditionedEvaluation
{
    private static readonly float[] CandidateWeights = [0.25f, 0.5f, 1f, 2f, 4f];

    public static MoodEvaluationResult Run(LastFmDataset data, int seed, ImplicitAlsOptions options)
    {
        var counts = data.LoadMoodTagCounts(tag => MoodLabels.FromTag(tag) is { } m ? (int)m : null, MoodLabels.Count);
        var tagged = Enumerable.Range(0, MoodLabels.Count)
            .Select(m => Enumerable.Range(0, data.ArtistIds.Count).Where(a => counts[a, m] > 0).ToHashSet())
            .ToArray();

        var split = HoldoutSplit.Create(data.Plays, 0.2, seed);
        var validation = HoldoutSplit.Create(split.Train, 0.2, seed + 1);
        var validationModel = ImplicitAlsModel.Train(validation.Train, options);
        var validationMoods = Embeddings(validationModel, validation.Train, tagged, options);
        var weight = CandidateWeights.MaxBy(w => Measure(validationModel, validationMoods, validation, tagged, w).All.MoodAware);

        var model = ImplicitAlsModel.Train(split.Train, options);
        var moods = Embeddings(model, split.Train, tagged, options);
        var (all, perMood) = Measure(model, moods, split, tagged, weight);
        return new MoodEvaluationResult(weight, all, perMood, tagged.SelectMany(t => t).Distinct().Count());
    }

    private static MoodContextEmbeddings Embeddings(ImplicitAlsModel model, InteractionMatrix train, HashSet<int>[] tagged, ImplicitAlsOptions options)
    {
        var plays = Enumerable.Range(0, MoodLabels.Count).Select(_ => new Dictionary<int, float>()).ToArray();
        for (var u = 0; u < train.Users; u++)
        {
            var items = train.RowItems(u);
            var values = train.RowValues(u);
            for (var n = 0; n < items.Length; n++)
            {
                for (var m = 0; m < MoodLabels.Count; m++)
                {
                    if (tagged[m].Contains(items[n]))
                    {
                        plays[m][items[n]] = plays[m].GetValueOrDefault(items[n]) + values[n];
                    }
                }
            }
        }

        return MoodContextEmbeddings.Train(model, plays, options);
    }

    private static (MoodHitRates All, Dictionary<MoodLabel, MoodHitRates> PerMood) Measure(
        ImplicitAlsModel model, MoodContextEmbeddings moods, HoldoutSplit split, HashSet<int>[] tagged, float weight)
    {
        var cases = Enumerable.Range(0, split.Train.Users)
            .SelectMany(u => Enumerable.Range(0, MoodLabels.Count).Select(m => (User: u, Mood: m, Relevant: split.Test[u].Where(tagged[m].Contains).ToHashSet())))
            .Where(c => c.Relevant.Count > 0)
            .ToArray();
        var blind = new double[cases.Length];
        var aware = new double[cases.Length];
        Parallel.For(0, cases.Length, () => (Scores: new float[model.Items], Vector: new float[model.Factors]), (n, _, buffers) =>
        {
            var (user, mood, relevant) = cases[n];
            model.ScoreVector(model.UserVector(user), buffers.Scores);
            blind[n] = RankingMetrics.HitAt(10, Exclude(buffers.Scores, split.Train, user), relevant);
            moods.Shift(model.UserVector(user), (MoodLabel)mood, weight, buffers.Vector);
            model.ScoreVector(buffers.Vector, buffers.Scores);
            aware[n] = RankingMetrics.HitAt(10, Exclude(buffers.Scores, split.Train, user), relevant);
            return buffers;
        }, _ => { });

        var perMood = new Dictionary<MoodLabel, MoodHitRates>();
        for (var m = 0; m < MoodLabels.Count; m++)
        {
            var indices = Enumerable.Range(0, cases.Length).Where(n => cases[n].Mood == m).ToArray();
            perMood[(MoodLabel)m] = new MoodHitRates(indices.Length, indices.Select(n => blind[n]).DefaultIfEmpty().Average(), indices.Select(n => aware[n]).DefaultIfEmpty().Average());
        }

        return (new MoodHitRates(cases.Length, blind.DefaultIfEmpty().Average(), aware.DefaultIfEmpty().Average()), perMood);
    }

    private static int[] Exclude(float[] scores, InteractionMatrix train, int user)
    {
        foreach (var seen in train.RowItems(user))
        {
            scores[seen] = float.NegativeInfinity;
        }

        return TopK.Select(scores, 10);
    }
}
