using System.Globalization;
using System.Text.Json;
using MoodGrains.Recommendations.Evaluation;

namespace MoodGrains.Cli.Commands;

internal sealed class EvalRecsCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["eval", "recs"];

    public string Summary => "rank held-out Last.fm-2k artists: popularity, item-kNN, implicit ALS, hybrid (--lastfm DIR [--json] [--seed N] [--tune])";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (!CliArgs.TryParse(args, ["--lastfm", "--seed"], ["--json", "--tune"], out var options, out var error) || options.Value("--lastfm") is not { } directory)
        {
            Console.Error.WriteLine(error.Length > 0 ? error : "--lastfm DIR is required");
            Console.Error.WriteLine("usage: moodgrains eval recs --lastfm DIR [--json] [--seed N] [--tune]");
            return Task.FromResult(2);
        }

        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine($"not a directory: {directory}");
            return Task.FromResult(2);
        }

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
            Console.WriteLine(JsonSerializer.Serialize(new { models, seed, users = results[0].Test.Users }));
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
        }

        return Task.FromResult(0);
    }
}
