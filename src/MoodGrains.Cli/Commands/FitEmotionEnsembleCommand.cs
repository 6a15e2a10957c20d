using MoodGrains.Mood;
using MoodGrains.Training.Vision;
using MoodGrains.Vision;
using MoodGrains.Vision.Classification;

namespace MoodGrains.Cli.Commands;

/// <summary>Fits the stacked ensemble (<see cref="EnsembleModel"/>) over both networks' flip-averaged probabilities on a FER-style training set.</summary>
internal sealed class FitEmotionEnsembleCommand : ICliCommand
{
    private const string UsageText = "moodgrains fit emotion-ensemble --images DIR --out FILE.json [--limit N] [--threads N] [--models DIR]";

    private const double L2 = 1e-4;
    private const int Iterations = 1500;

    public IReadOnlyList<string> Path { get; } = ["fit", "emotion-ensemble"];

    public string Summary => "fit the stacked ensemble over mini-Xception's and face-api's probabilities";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText, ["--images", "--out", "--limit", "--threads", "--models"], []);
        var imagesDir = parsed.Folder("--images");
        var output = parsed.Required("--out");

        var limit = parsed.Int("--limit", int.MaxValue, min: 1);
        var threads = parsed.Int("--threads", 1, min: 1);
        var modelDir = ModelFolder.Find(parsed.Value("--models")) ?? throw parsed.Fail("the models folder was not found; pass --models DIR");
        var samples = FerSamples.Load(imagesDir, limit);
        if (samples.Count == 0)
        {
            throw parsed.Fail($"no images in label folders ({string.Join(", ", Emotions.Names)}) under '{imagesDir}'");
        }

        var options = new VisionOptions { ModelDirectory = modelDir };
        Console.Error.WriteLine($"scoring {samples.Count} training images with both models ...");
        ModelScores[] scores;
        using (var scorer = new ModelScorer(options))
        {
            scores = scorer.ScoreAll(samples, threads, cancellationToken);
        }

        var features = scores.Select(s =>
        {
            var f = new float[EnsembleModel.FeatureCount];
            EnsembleModel.Features(s.XceptionFlip, s.FaceApiFlip, f);
            return f;
        }).ToArray();
        var labels = samples.Select(s => s.Label).ToArray();
        Console.Error.WriteLine("fitting the logistic regression ...");
        var model = SoftmaxRegression.Fit(features, labels, L2, Iterations);
        var trainAccuracy = features.Select((f, i) => ClassificationMetrics.ArgMax(model.PredictFromFeatures(f)) == labels[i] ? 1 : 0).Average();
        model.Save(output, new EnsembleProvenance(
            FittedOn: System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(imagesDir))),
            Images: samples.Count,
            Command: string.Join(' ', ["moodgrains", .. Path, .. args]),
            L2: L2,
            Iterations: Iterations,
            TrainAccuracy: Math.Round(trainAccuracy, 5),
            XceptionSha256: ModelFiles.Sha256(options.ResolvePath(options.XceptionFile)),
            FaceApiSha256: ModelFiles.Sha256(options.ResolvePath(options.FaceApiFile))));
        Console.WriteLine($"wrote {output}: training accuracy {trainAccuracy:P2} over {samples.Count} images");
        return Task.FromResult(0);
    }
}
