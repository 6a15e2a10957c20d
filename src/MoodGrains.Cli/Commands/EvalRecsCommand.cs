using System.Globalization;
using System.Text.Json;
using MoodGrains.Training.Recommendations;

namespace MoodGrains.Cli.Commands;

internal sealed class EvalRecsCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["eval", "recs"];

    public string Summary => "rank held-out Last.fm-2k artists: popularity, item-kNN, implicit ALS, hybrid + mood-aware vs mood-blind, room aggregation (--lastfm DIR [--json] [--seed N] [--tune] [--models-only])";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, "moodgrains eval recs --lastfm DIR [--json] [--seed N] [--tune] [--models-only]", ["--lastfm", "--seed"], ["--json", "--tune", "--models-only"]);
        var directory = options.Folder("--lastfm");

        var seed = options.Int("--seed", 42);
        var json = options.Has("--json");
        var data = LastFmDataset.Load(directory);
        var parameters = EvaluationParameters.Tuned;
        if (options.Has("--tune"))
        {
            // Progress goes to stderr so --json output stays machine-readable.
            parameters = LastFmEvaluation.Tune(data.Plays, seed, line => Console.Error.WriteLine(line));
            Console.Error.WriteLine($"chosen: item-knn {LastFmEvaluation.Describe(parameters.ItemKnn)}; ials {LastFmEvaluation.Describe(parameters.Als)}; hybrid knn weight {parameters.HybridKnnWeight}, popularity weight {parameters.HybridPopularityWeight}");
        }

        var results = LastFmEvaluation.Run(data.Plays, seed, parameters);
        var extras = !options.Has("--models-only");
        var mood = extras ? MoodConditionedEvaluation.Run(data, seed, parameters.Als) : null;
        var groups = extras ? GroupEvaluation.Run(data.Plays, seed, parameters.Als) : [];
        if (json)
        {
            var models = results.ToDictionary(r => r.Name, r => new Dictionary<string, double>
            {
                ["precision@10"] = Math.Round(r.Test.Precision, 5),
                ["recall@10"] = Math.Round(r.Test.Recall, 5),
                ["ndcg@10"] = Math.Round(r.Test.Ndcg, 5),
                ["map@10"] = Math.Round(r.Test.Map, 5),
                ["coverage"] = Math.Round(r.Test.Coverage, 5),
                ["train_s"] = Math.Round(r.TrainSeconds, 3),
            });
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                models,
                seed,
                users = results[0].Test.Users,
                mood = mood is null ? null : new
                {
                    context_weight = mood.ContextWeight,
                    cases = mood.All.Cases,
                    hit10_mood_blind = Math.Round(mood.All.MoodBlind, 5),
                    hit10_mood_aware = Math.Round(mood.All.MoodAware, 5),
                    per_mood = mood.PerMood.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => new { cases = p.Value.Cases, blind = Math.Round(p.Value.MoodBlind, 5), aware = Math.Round(p.Value.MoodAware, 5) }),
                },
                groups = groups.ToDictionary(g => g.Rule.ToString(), g => new
                {
                    mean_member_ndcg10 = Math.Round(g.MeanMemberNdcg, 5),
                    worst_member_ndcg10 = Math.Round(g.WorstMemberNdcg, 5),
                    mean_member_hit10 = Math.Round(g.MeanMemberHit, 5),
                    worst_member_hit10 = Math.Round(g.WorstMemberHit, 5),
                }),
            }));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Last.fm-2k, seed {seed}, 20% per-user holdout, {results[0].Test.Users} users, full ranking of unseen artists"));
            Console.WriteLine($"{"model",-12} {"P@10",8} {"R@10",8} {"NDCG@10",8} {"MAP@10",8} {"cover",8} {"train s",8}  parameters");
            foreach (var r in results)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Name,-12} {r.Test.Precision,8:F4} {r.Test.Recall,8:F4} {r.Test.Ndcg,8:F4} {r.Test.Map,8:F4} {r.Test.Coverage,8:F4} {r.TrainSeconds,8:F2}  {r.Parameters}"));
            }

            if (mood is not null)
            {
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"mood-conditioned (Last.fm mood tags on {mood.TaggedArtists} artists; context weight {mood.ContextWeight} chosen on validation): hit@10 over {mood.All.Cases} (user, mood) cases"));
                Console.WriteLine($"{"mood",-12} {"cases",6} {"blind",8} {"aware",8}");
                foreach (var (label, rates) in mood.PerMood.Append(new KeyValuePair<Recommendations.Mood.MoodLabel, MoodHitRates>((Recommendations.Mood.MoodLabel)(-1), mood.All)))
                {
                    var name = (int)label < 0 ? "all" : label.ToString().ToLowerInvariant();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-12} {rates.Cases,6} {rates.MoodBlind,8:F4} {rates.MoodAware,8:F4}"));
                }
            }

            if (groups.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("rooms of 4 random users (300, seeded), one shared top-10, members' held-out artists as truth:");
                Console.WriteLine($"{"rule",-12} {"mean NDCG",10} {"worst NDCG",10} {"mean hit",10} {"worst hit",10}");
                foreach (var g in groups)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{g.Rule,-12} {g.MeanMemberNdcg,10:F4} {g.WorstMemberNdcg,10:F4} {g.MeanMemberHit,10:F4} {g.WorstMemberHit,10:F4}"));
                }
            }
        }

        return Task.FromResult(0);
    }
}
