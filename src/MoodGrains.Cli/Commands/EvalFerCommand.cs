using System.Diagnostics;
using System.Text.Json;
using MoodGrains.Mood;
using MoodGrains.Training.Vision;
using MoodGrains.Vision;
using MoodGrains.Vision.Classification;

namespace MoodGrains.Cli.Commands;

/// <summary>Accuracy of the emotion models on a folder-per-label set of face crops (FER-2013 layout).</summary>
internal sealed class EvalFerCommand : ICliCommand
{
    private static readonly string UsageText =
        $"moodgrains eval fer --images DIR [--model {VisionModelNames.Choices}] [--all] " +
        "[--holdout F [--split-seed S]] [--settings APPSETTINGS.json] [--limit N] [--threads N] [--models DIR] [--probabilities FILE.csv] [--json]";

    /// <summary>The trainer's held-out draw (TrainingSettings.SplitSeed), so --holdout 0.1 is the slice our CNN never trained on.</summary>
    private const int TrainerSplitSeed = 20131;

    public IReadOnlyList<string> Path { get; } = ["eval", "fer"];

    public string Summary => "emotion accuracy on FER-style face crops (the shipped model, one named model, or --all side by side)";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Contains("--fit-ensemble"))
        {
            throw new UsageException("fitting the ensemble is its own command now: moodgrains fit emotion-ensemble --images DIR --out FILE.json", UsageText);
        }

        var parsed = CliArgs.Parse(args, UsageText, ["--images", "--model", "--limit", "--threads", "--models", "--holdout", "--split-seed", "--settings", "--probabilities"], ["--json", "--all"]);
        var imagesDir = parsed.Folder("--images");

        var limit = parsed.Int("--limit", int.MaxValue, min: 1);
        var threads = parsed.Int("--threads", 1, min: 1);
        var modelName = parsed.Value("--model") ?? VisionModelNames.Default;
        if (!VisionModelNames.Names.Contains(modelName))
        {
            throw parsed.Fail($"unknown model '{modelName}'");
        }

        var holdout = parsed.Double("--holdout", 0);
        if (holdout is < 0 or >= 1)
        {
            throw parsed.Fail("--holdout takes the held-out fraction, from 0 up to (not including) 1");
        }

        if (holdout > 0 && parsed.Has("--limit"))
        {
            throw parsed.Fail("--holdout draws the trainer's slice from the whole folder; it does not combine with --limit");
        }

        var modelDir = ModelFolder.Find(parsed.Value("--models")) ?? throw parsed.Fail("the models folder was not found; pass --models DIR");
        var samples = FerSamples.Load(imagesDir, limit);
        if (holdout > 0)
        {
            samples = HeldOutSlice.Select(samples, holdout, parsed.Int("--split-seed", TrainerSplitSeed));
        }

        if (samples.Count == 0)
        {
            throw parsed.Fail($"no images in label folders ({string.Join(", ", Emotions.Names)}) under '{imagesDir}'");
        }

        var probabilities = parsed.Value("--probabilities");
        if (probabilities is not null && parsed.Has("--all"))
        {
            throw parsed.Fail("--probabilities writes one configuration's answers; name it with --model instead of --all");
        }

        var options = new VisionOptions { ModelDirectory = modelDir };
        if (parsed.Has("--all"))
        {
            return Task.FromResult(EvaluateAll(options, samples, threads, parsed.Has("--json"), cancellationToken));
        }

        string label;
        if (modelName == VisionModelNames.Live)
        {
            var settings = parsed.Value("--settings") ?? LiveVisionSettings.Find()
                ?? throw parsed.Fail($"the server's settings were not found; pass --settings {LiveVisionSettings.RelativePath}");
            options = LiveVisionSettings.Load(settings, modelDir);
            label = $"live ({VisionModelNames.Describe(options)}; detector {VisionModelNames.DescribeDetector(options)}; from {settings})";
        }
        else
        {
            VisionModelNames.TryApply(modelName, options);
            label = modelName == VisionModelNames.Default ? $"default ({VisionModelNames.Describe(options)})" : modelName;
        }

        var code = EvaluateOne(options, label, samples, threads, parsed.Has("--json"), probabilities is null ? null : (imagesDir, probabilities), cancellationToken);
        return Task.FromResult(code);
    }

    /// <summary>The shipped path: FrameAnalyzer.ClassifyFace, one image per call, as a live frame would be.</summary>
    /// <param name="probabilities">where to write each image's seven probabilities (<see cref="TeacherFile"/>), paths relative to the images folder.</param>
    private static int EvaluateOne(
        VisionOptions options, string label, List<(string Path, int Label)> samples, int threads, bool json, (string Root, string File)? probabilities, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            Console.Error.WriteLine("error: " + string.Join(" ", errors));
            return 1;
        }

        using var analyzer = new FrameAnalyzer(options);
        var predictions = new int[samples.Count];
        var answers = new float[samples.Count][];
        var classifyTicks = new double[samples.Count];
        var failures = 0;
        analyzer.ClassifyFace(File.ReadAllBytes(samples[0].Path)); // warm-up: the first inference call allocates its buffers
        var wall = Stopwatch.StartNew();
        Parallel.For(0, samples.Count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, i =>
        {
            var result = analyzer.ClassifyFace(File.ReadAllBytes(samples[i].Path));
            if (!result.Succeeded)
            {
                Interlocked.Increment(ref failures);
                predictions[i] = -1;
                return;
            }

            predictions[i] = (int)result.Faces[0].Emotions.Dominant;
            answers[i] = result.Faces[0].Emotions.Probabilities;
            classifyTicks[i] = result.Timings.ClassifyMs;
        });
        wall.Stop();

        if (probabilities is var (root, file))
        {
            if (failures > 0)
            {
                Console.Error.WriteLine($"error: {failures} image(s) could not be classified; {file} was not written");
                return 1;
            }

            TeacherFile.Write(file, label, samples.Select((s, i) => (System.IO.Path.GetRelativePath(root, s.Path), answers[i])));
            Console.Error.WriteLine($"wrote {samples.Count} images' probabilities to {file}");
        }

        var metrics = ClassificationMetrics.Compute(samples.Select(s => s.Label).ToArray(), predictions);
        var msPerImage = classifyTicks.Sum() / samples.Count;
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["model"] = label,
                ["images"] = samples.Count,
                ["failed"] = failures,
                ["accuracy"] = Math.Round(metrics.Accuracy, 5),
                ["macro_f1"] = Math.Round(metrics.MacroF1, 5),
                ["per_class_recall"] = Emotions.Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => Math.Round(metrics.Recall[p.i], 5)),
                ["labels"] = Emotions.Names,
                ["confusion"] = metrics.Confusion,
                ["ms_per_image"] = Math.Round(msPerImage, 4),
                ["threads"] = threads,
                ["wall_seconds"] = Math.Round(wall.Elapsed.TotalSeconds, 2),
            }));
        }
        else
        {
            Console.WriteLine($"model: {label}");
            Console.WriteLine($"images: {samples.Count} ({failures} failed to decode)");
            metrics.Print(Console.Out);
            Console.WriteLine($"classify: {msPerImage:F3} ms per image (one image per call, {threads} thread(s); wall {wall.Elapsed.TotalSeconds:F1} s)");
        }

        return 0;
    }

    private static int EvaluateAll(VisionOptions options, List<(string Path, int Label)> samples, int threads, bool json, CancellationToken cancellationToken)
    {
        using var scorer = new ModelScorer(options);
        var scores = scorer.ScoreAll(samples, threads, cancellationToken);
        var (hasEnsemble, hasHead) = (scorer.HasEnsemble, scorer.HasHead);
        var labels = samples.Select(s => s.Label).ToArray();
        ClassificationMetrics Of(Func<ModelScores, float[]> model) =>
            ClassificationMetrics.Compute(labels, [.. scores.Select(s => ClassificationMetrics.ArgMax(model(s)))]);
        var rows = new List<(string Name, ClassificationMetrics Metrics)>
        {
            ("xception", Of(s => s.Xception)),
            ("xception-flip", Of(s => s.XceptionFlip)),
            ("xception-tencrop", Of(s => s.XceptionTenCrop)),
            ("faceapi", Of(s => s.FaceApi)),
            ("faceapi-flip", Of(s => s.FaceApiFlip)),
            ("mean-of-both-flip", Of(s => s.XceptionFlip.Zip(s.FaceApiFlip, (a, b) => a + b).ToArray())),
        };
        if (hasEnsemble)
        {
            rows.Add(("ensemble", Of(s => s.Ensemble!)));
        }

        if (hasHead)
        {
            rows.Add(("head-flip", Of(s => s.Head!)));
            // The shipped rule (fixed in advance, see ProductOfExperts), then the arithmetic mean for comparison only.
            rows.Add(("xception-tencrop+head", Of(s => ProductOfExperts.Combine(s.XceptionTenCrop, s.Head!))));
            rows.Add(("mean(tencrop,head)", Of(s => s.XceptionTenCrop.Zip(s.Head!, (a, b) => a + b).ToArray())));
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["images"] = samples.Count,
                ["models"] = rows.ToDictionary(r => r.Name, r => new Dictionary<string, object>
                {
                    ["accuracy"] = Math.Round(r.Metrics.Accuracy, 5),
                    ["macro_f1"] = Math.Round(r.Metrics.MacroF1, 5),
                    ["per_class_recall"] = Emotions.Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => Math.Round(r.Metrics.Recall[p.i], 5)),
                }),
            }));
        }
        else
        {
            Console.WriteLine($"images: {samples.Count}");
            Console.WriteLine($"{"model",-22} {"accuracy",9} {"macro-F1",9}");
            foreach (var (name, m) in rows)
            {
                Console.WriteLine($"{name,-22} {m.Accuracy,9:P2} {m.MacroF1,9:F4}");
            }
        }

        return 0;
    }
}
