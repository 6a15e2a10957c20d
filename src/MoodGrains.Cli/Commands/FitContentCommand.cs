using System.Globalization;
using System.Text.Json;
using MoodGrains.Recommendations.Content;
using MoodGrains.Training.Recommendations;

namespace MoodGrains.Cli.Commands;

internal sealed class FitContentCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["fit", "content"];

    public string Summary => "fit the audio-features -> mood-space map on a labelled mood CSV (--moods CSV [--ridge R] [--json])";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, "moodgrains fit content --moods data_moods.csv [--ridge 1] [--json]", ["--moods", "--ridge"], ["--json"]);
        var path = options.Value("--moods") ?? throw options.Fail("--moods CSV is required");
        if (!File.Exists(path))
        {
            throw options.Fail($"file not found: {path}");
        }

        var ridge = (float)options.Double("--ridge", 1);
        var tracks = MoodDatasetCsv.Load(path);
        var map = ContentMoodMapFitter.Fit(tracks, ridge);
        var trainAccuracy = map.LabelAccuracy(tracks);
        var cvAccuracy = CrossValidatedAccuracy(tracks, ridge, folds: 5, seed: 42);
        if (options.Has("--json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                source = System.IO.Path.GetFileName(path),
                tracks = tracks.Count,
                ridge,
                features = TrackFeatures.Names,
                means = map.Means,
                stds = map.Stds,
                valence_weights = map.ValenceWeights,
                arousal_weights = map.ArousalWeights,
                train_label_accuracy = Math.Round(trainAccuracy, 4),
                cv5_label_accuracy = Math.Round(cvAccuracy, 4),
            }));
            return Task.FromResult(0);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tracks.Count} labelled tracks from {path}, ridge {ridge}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nearest-label accuracy: train {trainAccuracy:P1}, 5-fold CV {cvAccuracy:P1} (chance 25%)"));
        Console.WriteLine("// paste into src/MoodGrains.Recommendations/Content/FittedContentMoodMap.cs");
        Console.WriteLine($"means: [{Format(map.Means)}],");
        Console.WriteLine($"stds: [{Format(map.Stds)}],");
        Console.WriteLine($"valenceWeights: [{Format(map.ValenceWeights)}],");
        Console.WriteLine($"arousalWeights: [{Format(map.ArousalWeights)}]);");
        return Task.FromResult(0);
    }

    private static double CrossValidatedAccuracy(IReadOnlyList<LabelledTrack> tracks, float ridge, int folds, int seed)
    {
        var order = Enumerable.Range(0, tracks.Count).ToArray();
        new Random(seed).Shuffle(order);
        var correct = 0.0;
        for (var fold = 0; fold < folds; fold++)
        {
            var test = order.Where((_, i) => i % folds == fold).Select(i => tracks[i]).ToArray();
            var train = order.Where((_, i) => i % folds != fold).Select(i => tracks[i]).ToArray();
            correct += ContentMoodMapFitter.Fit(train, ridge).LabelAccuracy(test) * test.Length;
        }

        return correct / tracks.Count;
    }

    private static string Format(IReadOnlyList<float> values) => string.Join(", ", values.Select(v => v.ToString("0.#####", CultureInfo.InvariantCulture) + "f"));
}
