using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MoodGrains.Mood;
using MoodGrains.Recommendations.Hybrid;
using MoodGrains.Recommendations.Serving;
using MoodGrains.Training.Recommendations;

namespace MoodGrains.Cli.Commands;

internal sealed class BenchRecsCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["bench", "recs"];

    public string Summary => "recommender training time/memory (Last.fm-2k) and top-10 latency for a user and a room of 10 ([--lastfm DIR] [--items N] [--json])";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, "moodgrains bench recs [--lastfm DIR] [--items 20000] [--requests 2000] [--json]", ["--lastfm", "--items", "--requests"], ["--json"]);

        // Measure() indexes the sorted timings, so it needs at least one request; read every option before the long run.
        var requests = options.Int("--requests", 2000, min: 1);
        var items = options.Int("--items", 20_000, min: 1);
        var report = new Dictionary<string, object>();
        if (options.Value("--lastfm") is { } directory)
        {
            if (!Directory.Exists(directory))
            {
                throw options.Fail($"not a directory: {directory}");
            }

            var data = LastFmDataset.Load(directory);

            // The first run also pays for JIT compilation of the training loops; report it, then time a warm run.
            var coldWatch = Stopwatch.StartNew();
            GC.KeepAlive(GroupEvaluation.ToSnapshot(data.Plays, EvaluationParameters.Tuned.Als));
            var coldSeconds = coldWatch.Elapsed.TotalSeconds;
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var snapshot = GroupEvaluation.ToSnapshot(data.Plays, EvaluationParameters.Tuned.Als);
            var seconds = watch.Elapsed.TotalSeconds;
            var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0;
            var retainedMb = (GC.GetTotalMemory(forceFullCollection: true) - before) / 1048576.0;
            GC.KeepAlive(snapshot);
            report["lastfm"] = Measure(snapshot, requests, new Dictionary<string, double>
            {
                ["train_cold_s"] = Math.Round(coldSeconds, 3),
                ["train_s"] = Math.Round(seconds, 3),
                ["train_allocated_mb"] = Math.Round(allocatedMb, 1),
                ["snapshot_retained_mb"] = Math.Round(retainedMb, 1),
                ["peak_working_set_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            });
        }

        var (catalog, plays) = SyntheticCatalog.Create(items, users: 5000, playsPerUser: 40);
        var synthWatch = Stopwatch.StartNew();
        var synthetic = RecommenderSnapshot.Train(catalog, plays);
        report[$"synthetic_{items}"] = Measure(synthetic, requests, new Dictionary<string, double> { ["train_s"] = Math.Round(synthWatch.Elapsed.TotalSeconds, 3) });

        if (options.Has("--json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(report));
        }
        else
        {
            foreach (var (name, values) in report)
            {
                Console.WriteLine(name + ": " + string.Join(", ", ((Dictionary<string, double>)values).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}"))));
            }
        }

        return Task.FromResult(0);
    }

    /// <summary>Top-10 latency in ms (p50/p99) after a warm-up, for one user and for a room of 10 under each rule.</summary>
    private static Dictionary<string, double> Measure(RecommenderSnapshot snapshot, int requests, Dictionary<string, double> values)
    {
        var users = Enumerable.Range(0, snapshot.Users).Select(u => snapshot.UserIdAt(u)).ToArray();
        var random = new Random(5);
        var target = new MoodPoint(0.5f, 0.2f);
        values["tracks"] = snapshot.Tracks.Count;

        // Noise floor: the same number of timings of a fixed, allocation-free loop (a dense 20,000 x 64 mat-vec).
        // On a shared 2-core VM its p99 shows how much of a request's tail is the machine rather than the code.
        var matrix = new float[20_000 * 64];
        var vector = new float[64];
        var output = new float[20_000];
        var floor = new double[requests];
        for (var n = -200; n < requests; n++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = System.Numerics.Tensors.TensorPrimitives.Dot(matrix.AsSpan(i * 64, 64), vector);
            }

            if (n >= 0)
            {
                floor[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        Array.Sort(floor);
        values["noise_floor_matvec_p50_ms"] = Math.Round(floor[floor.Length / 2], 4);
        values["noise_floor_matvec_p99_ms"] = Math.Round(floor[(int)(floor.Length * 0.99)], 4);
        values["users"] = snapshot.Users;
        values["factors"] = snapshot.Factors;
        foreach (var (label, size, rule) in new[] { ("user", 1, GroupAggregation.Average), ("room10_fair", 10, GroupAggregation.Fair), ("room10_average", 10, GroupAggregation.Average), ("room10_least_misery", 10, GroupAggregation.LeastMisery) })
        {
            var recommender = new HybridRecommender(snapshot, new HybridOptions { Aggregation = rule });
            var timings = new double[requests];
            for (var n = -200; n < requests; n++)
            {
                var request = new RecommendationRequest(random.GetItems(users, size).Select(u => new Listener(u, 1f, 0.8f)).ToArray(), target, 10);
                var start = Stopwatch.GetTimestamp();
                recommender.Recommend(request);
                if (n >= 0)
                {
                    timings[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }

            Array.Sort(timings);
            values[$"{label}_p50_ms"] = Math.Round(timings[timings.Length / 2], 4);
            values[$"{label}_p99_ms"] = Math.Round(timings[(int)(timings.Length * 0.99)], 4);
        }

        return values;
    }
}
