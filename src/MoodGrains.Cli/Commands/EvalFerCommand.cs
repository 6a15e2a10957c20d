using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Vision;
using MoodGrains.Vision.Classification;
using OpenCvSharp;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// Accuracy of the emotion models on a folder-per-label set of face crops (FER-2013 layout), and fitting of the
/// stacked ensemble on a training set.
/// </summary>
internal sealed class EvalFerCommand : ICliCommand
{
    private const string UsageText =
        "moodgrains eval fer --images DIR [--model default|xception|xception-flip|xception-tencrop|faceapi|faceapi-flip|ensemble|head|head-flip|xception-tencrop+head] [--all] " +
        "[--fit-ensemble OUT.json] [--limit N] [--threads N] [--models DIR] [--json]";

    private static readonly string[] ModelNames =
        ["xception", "xception-flip", "xception-tencrop", "faceapi", "faceapi-flip", "ensemble", "head", "head-flip", "xception-tencrop+head"];

    public IReadOnlyList<string> Path { get; } = ["eval", "fer"];

    public string Summary => "emotion accuracy on FER-style face crops; --fit-ensemble fits the stacked ensemble";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText, ["--images", "--model", "--fit-ensemble", "--limit", "--threads", "--models"], ["--json", "--all"]);
        var imagesDir = parsed.Value("--images") ?? throw parsed.Fail("--images is required");
        if (!Directory.Exists(imagesDir))
        {
            throw parsed.Fail($"'{imagesDir}' is not a folder");
        }

        var limit = parsed.Int("--limit", int.MaxValue, min: 1);
        var threads = parsed.Int("--threads", 1, min: 1);
        var modelName = parsed.Value("--model") ?? "default";
        if (modelName != "default" && !ModelNames.Contains(modelName))
        {
            throw parsed.Fail($"unknown model '{modelName}'");
        }

        var modelDir = ModelFolder.Find(parsed.Value("--models")) ?? throw parsed.Fail("the models folder was not found; pass --models DIR");
        var samples = LoadSamples(imagesDir, limit);
        if (samples.Count == 0)
        {
            throw parsed.Fail($"no images in label folders ({string.Join(", ", Emotions.Names)}) under '{imagesDir}'");
        }

        var options = new VisionOptions { ModelDirectory = modelDir };
        if (parsed.Value("--fit-ensemble") is { } output)
        {
            return Task.FromResult(FitEnsemble(options, imagesDir, samples, output, threads, string.Join(' ', ["moodgrains", .. Path, .. args]), cancellationToken));
        }

        if (parsed.Has("--all"))
        {
            return Task.FromResult(EvaluateAll(options, samples, threads, parsed.Has("--json"), cancellationToken));
        }

        return Task.FromResult(EvaluateOne(options, modelName, samples, threads, parsed.Has("--json"), cancellationToken));
    }

    /// <summary>
    /// Decodes the images 32 at a time on <paramref name="threads"/> threads and hands each batch (the index of its
    /// first image and the decoded images, an empty Mat for one OpenCV could not read) to <paramref name="work"/>,
    /// printing progress every <paramref name="progressEvery"/> images. Returns how many images could not be read.
    /// </summary>
    internal static int DecodeInBatches(
        List<(string Path, int Label)> samples, int threads, int progressEvery, Func<int, string> progress,
        CancellationToken cancellationToken, Action<int, List<Mat>> work)
    {
        const int batch = 32;
        var batches = (samples.Count + batch - 1) / batch;
        var done = 0;
        var failed = 0;
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, b =>
        {
            var from = b * batch;
            var count = Math.Min(batch, samples.Count - from);
            var mats = new List<Mat>(count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var mat = Cv2.ImDecode(File.ReadAllBytes(samples[from + i].Path), ImreadModes.Color);
                    if (mat.Empty())
                    {
                        Interlocked.Increment(ref failed);
                    }

                    mats.Add(mat);
                }

                work(from, mats);
            }
            finally
            {
                mats.ForEach(m => m.Dispose());
            }

            var finished = Interlocked.Add(ref done, count);
            if (finished / progressEvery != (finished - count) / progressEvery)
            {
                Console.Error.WriteLine(progress(finished));
            }
        });
        return failed;
    }

    internal static List<(string Path, int Label)> LoadSamples(string dir, int limitPerClass)
    {
        var samples = new List<(string, int)>();
        for (var label = 0; label < Emotions.Count; label++)
        {
            var folder = System.IO.Path.Combine(dir, Emotions.Names[label]);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            samples.AddRange(Directory.EnumerateFiles(folder)
                .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
                    || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".webp", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .Take(limitPerClass)
                .Select(f => (f, label)));
        }

        return samples;
    }

    /// <summary>The shipped path: FrameAnalyzer.ClassifyFace, one image per call, as a live frame would be.</summary>
    private static int EvaluateOne(VisionOptions options, string modelName, List<(string Path, int Label)> samples, int threads, bool json, CancellationToken cancellationToken)
    {
        if (modelName != "default")
        {
            options.EmotionModel = modelName switch
            {
                "xception" or "xception-flip" or "xception-tencrop" => EmotionModelKind.Xception,
                "faceapi" or "faceapi-flip" => EmotionModelKind.FaceApi,
                "head" or "head-flip" => EmotionModelKind.FaceApiHead,
                "xception-tencrop+head" => EmotionModelKind.XceptionAndHead,
                _ => EmotionModelKind.Ensemble,
            };
            options.FlipAveraging = modelName.EndsWith("-flip", StringComparison.Ordinal) || modelName.StartsWith("xception-tencrop", StringComparison.Ordinal);
            options.MultiCrop = modelName.StartsWith("xception-tencrop", StringComparison.Ordinal);
        }

        var errors = options.Validate();
        if (errors.Count > 0)
        {
            Console.Error.WriteLine("error: " + string.Join(" ", errors));
            return 1;
        }

        var label = modelName == "default" ? $"default ({Describe(options)})" : modelName;
        using var analyzer = new FrameAnalyzer(options);
        var predictions = new int[samples.Count];
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
            classifyTicks[i] = result.Timings.ClassifyMs;
        });
        wall.Stop();

        var metrics = Metrics.Compute(samples.Select(s => s.Label).ToArray(), predictions);
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
            metrics.Print();
            Console.WriteLine($"classify: {msPerImage:F3} ms per image (one image per call, {threads} thread(s); wall {wall.Elapsed.TotalSeconds:F1} s)");
        }

        return 0;
    }

    private static string Describe(VisionOptions options) => options.EmotionModel switch
    {
        EmotionModelKind.Ensemble => "ensemble",
        EmotionModelKind.Xception => DescribeXception(options),
        EmotionModelKind.FaceApiHead => options.FlipAveraging ? "head-flip" : "head",
        EmotionModelKind.XceptionAndHead => $"{DescribeXception(options)}+head{(options.FlipAveraging ? "-flip" : "")}",
        _ => options.FlipAveraging ? "faceapi-flip" : "faceapi",
    };

    private static string DescribeXception(VisionOptions options) =>
        options.MultiCrop ? (options.FlipAveraging ? "xception-tencrop" : "xception-fivecrop") : options.FlipAveraging ? "xception-flip" : "xception";

    private static ModelScores[] ScoreAll(
        VisionOptions options, List<(string Path, int Label)> samples, int threads, CancellationToken cancellationToken, out bool hasEnsemble, out bool hasHead)
    {
        using var classifier = EmotionClassifier.CreateForEvaluation(options);
        hasEnsemble = classifier.HasEnsemble;
        hasHead = classifier.HasHead;
        var scores = new ModelScores[samples.Count];
        DecodeInBatches(samples, threads, 5000, n => $"  scored {n}/{samples.Count}", cancellationToken,
            (from, mats) => classifier.ScoreAll(mats).CopyTo(scores, from));
        return scores;
    }

    private static int EvaluateAll(VisionOptions options, List<(string Path, int Label)> samples, int threads, bool json, CancellationToken cancellationToken)
    {
        var scores = ScoreAll(options, samples, threads, cancellationToken, out var hasEnsemble, out var hasHead);
        var labels = samples.Select(s => s.Label).ToArray();
        var rows = new List<(string Name, Metrics Metrics)>
        {
            ("xception", Metrics.Compute(labels, scores.Select(s => ArgMax(s.Xception)).ToArray())),
            ("xception-flip", Metrics.Compute(labels, scores.Select(s => ArgMax(s.XceptionFlip)).ToArray())),
            ("xception-tencrop", Metrics.Compute(labels, scores.Select(s => ArgMax(s.XceptionTenCrop)).ToArray())),
            ("faceapi", Metrics.Compute(labels, scores.Select(s => ArgMax(s.FaceApi)).ToArray())),
            ("faceapi-flip", Metrics.Compute(labels, scores.Select(s => ArgMax(s.FaceApiFlip)).ToArray())),
            ("mean-of-both-flip", Metrics.Compute(labels, scores.Select(s => ArgMax(s.XceptionFlip.Zip(s.FaceApiFlip, (a, b) => a + b).ToArray())).ToArray())),
        };
        if (hasEnsemble)
        {
            rows.Add(("ensemble", Metrics.Compute(labels, scores.Select(s => ArgMax(s.Ensemble!)).ToArray())));
        }

        if (hasHead)
        {
            rows.Add(("head-flip", Metrics.Compute(labels, scores.Select(s => ArgMax(s.Head!)).ToArray())));
            // The shipped rule (fixed in advance, see ProductOfExperts), then the arithmetic mean for comparison only.
            rows.Add(("xception-tencrop+head", Metrics.Compute(labels,
                scores.Select(s => ArgMax(ProductOfExperts.Combine(s.XceptionTenCrop, s.Head!))).ToArray())));
            rows.Add(("mean(tencrop,head)", Metrics.Compute(labels,
                scores.Select(s => ArgMax(s.XceptionTenCrop.Zip(s.Head!, (a, b) => a + b).ToArray())).ToArray())));
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

    private static int FitEnsemble(VisionOptions options, string imagesDir, List<(string Path, int Label)> samples, string output, int threads, string command, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"scoring {samples.Count} training images with both models ...");
        var scores = ScoreAll(options, samples, threads, cancellationToken, out _, out _);
        var features = scores.Select(s =>
        {
            var f = new float[EnsembleModel.FeatureCount];
            EnsembleModel.Features(s.XceptionFlip, s.FaceApiFlip, f);
            return f;
        }).ToArray();
        var labels = samples.Select(s => s.Label).ToArray();
        const double l2 = 1e-4;
        const int iterations = 1500;
        Console.Error.WriteLine("fitting the logistic regression ...");
        var model = SoftmaxRegression.Fit(features, labels, l2, iterations);
        var trainAccuracy = features.Select((f, i) => ArgMax(model.PredictFromFeatures(f)) == labels[i] ? 1 : 0).Average();
        model.Save(output, new EnsembleProvenance(
            FittedOn: System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(imagesDir))),
            Images: samples.Count,
            Command: command,
            L2: l2,
            Iterations: iterations,
            TrainAccuracy: Math.Round(trainAccuracy, 5),
            XceptionSha256: Sha256(options.ResolvePath(options.XceptionFile)),
            FaceApiSha256: Sha256(options.ResolvePath(options.FaceApiFile))));
        Console.WriteLine($"wrote {output}: training accuracy {trainAccuracy:P2} over {samples.Count} images");
        return 0;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private sealed record Metrics(double Accuracy, double MacroF1, double[] Recall, double[] Precision, int[][] Confusion)
    {
        /// <summary>A prediction of -1 (an image that failed) counts as wrong for its true class.</summary>
        public static Metrics Compute(int[] truth, int[] predicted)
        {
            var k = Emotions.Count;
            var confusion = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
            var correct = 0;
            var support = new int[k];
            for (var i = 0; i < truth.Length; i++)
            {
                support[truth[i]]++;
                if (predicted[i] >= 0)
                {
                    confusion[truth[i]][predicted[i]]++;
                }

                if (predicted[i] == truth[i])
                {
                    correct++;
                }
            }

            var recall = new double[k];
            var precision = new double[k];
            var f1 = new double[k];
            for (var c = 0; c < k; c++)
            {
                var predictedC = confusion.Sum(row => row[c]);
                recall[c] = support[c] == 0 ? 0 : (double)confusion[c][c] / support[c];
                precision[c] = predictedC == 0 ? 0 : (double)confusion[c][c] / predictedC;
                f1[c] = recall[c] + precision[c] == 0 ? 0 : 2 * recall[c] * precision[c] / (recall[c] + precision[c]);
            }

            var present = Enumerable.Range(0, k).Where(c => support[c] > 0).ToList();
            return new Metrics((double)correct / truth.Length, present.Average(c => f1[c]), recall, precision, confusion);
        }

        public void Print()
        {
            Console.WriteLine($"accuracy: {Accuracy:P2}   macro-F1: {MacroF1:F4}");
            Console.WriteLine($"{"class",-10} {"recall",8} {"precision",9}");
            for (var c = 0; c < Emotions.Count; c++)
            {
                Console.WriteLine($"{Emotions.Names[c],-10} {Recall[c],8:P1} {Precision[c],9:P1}");
            }

            Console.WriteLine("confusion (rows: true, columns: predicted)");
            Console.WriteLine("          " + string.Concat(Emotions.Names.Select(n => $"{n[..Math.Min(7, n.Length)],8}")));
            for (var c = 0; c < Emotions.Count; c++)
            {
                Console.WriteLine($"{Emotions.Names[c],-10}" + string.Concat(Confusion[c].Select(v => $"{v,8}")));
            }
        }
    }
}
