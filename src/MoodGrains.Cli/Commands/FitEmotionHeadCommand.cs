using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Vision;
using MoodGrains.Vision.Classification;
using OpenCvSharp;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// Fits the FER head over face-api's pooled backbone features on a folder-per-label training set: features of each
/// image and its mirror (both are training samples), L2 strength chosen on a stratified held-out slice of the same
/// folder, then a refit on every image with that strength.
/// </summary>
internal sealed class FitEmotionHeadCommand : ICliCommand
{
    private const string UsageText =
        "moodgrains fit emotion-head --images DIR --out FILE.json [--l2 1e-4,1e-3,1e-2] [--iterations N] [--learning-rate R] " +
        "[--validation 0.15] [--seed N] [--threads N] [--cache FILE] [--limit N] [--models DIR]";

    private static readonly double[] DefaultL2 = [1e-4, 1e-3, 3e-3, 1e-2, 3e-2];

    public IReadOnlyList<string> Path { get; } = ["fit", "emotion-head"];

    public string Summary => "fit the FER head over face-api's backbone features (l2 chosen on a held-out slice of the training folder)";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = VisionArgs.Parse(args,
            new HashSet<string>(["--images", "--out", "--l2", "--iterations", "--learning-rate", "--validation", "--seed", "--threads", "--cache", "--limit", "--models"],
                StringComparer.OrdinalIgnoreCase),
            new HashSet<string>(StringComparer.OrdinalIgnoreCase));
        if (parsed.Error is not null)
        {
            return Task.FromResult(VisionArgs.Usage(parsed.Error, UsageText));
        }

        var imagesDir = parsed.Get("--images");
        var output = parsed.Get("--out");
        if (imagesDir is null || output is null)
        {
            return Task.FromResult(VisionArgs.Usage("--images and --out are required", UsageText));
        }

        if (!Directory.Exists(imagesDir))
        {
            return Task.FromResult(VisionArgs.Usage($"'{imagesDir}' is not a folder", UsageText));
        }

        if (!parsed.TryGetInt("--iterations", 500, out var iterations) || !parsed.TryGetInt("--threads", 1, out var threads)
            || !parsed.TryGetInt("--seed", 20131, out var seed) || !parsed.TryGetInt("--limit", int.MaxValue, out var limit))
        {
            return Task.FromResult(VisionArgs.Usage("--iterations, --threads, --seed and --limit take a positive whole number", UsageText));
        }

        if (!TryParseDouble(parsed.Get("--validation"), 0.15, out var validation) || validation is <= 0 or >= 0.5
            || !TryParseDouble(parsed.Get("--learning-rate"), 0.05, out var learningRate) || learningRate is <= 0 or > 1)
        {
            return Task.FromResult(VisionArgs.Usage("--validation takes a fraction in (0, 0.5) and --learning-rate one in (0, 1]", UsageText));
        }

        var grid = DefaultL2;
        if (parsed.Get("--l2") is { } l2Text)
        {
            var values = l2Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var list = new List<double>();
            foreach (var value in values)
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var l2) || l2 < 0)
                {
                    return Task.FromResult(VisionArgs.Usage($"--l2: '{value}' is not a non-negative number", UsageText));
                }

                list.Add(l2);
            }

            if (list.Count == 0)
            {
                return Task.FromResult(VisionArgs.Usage("--l2 needs at least one value", UsageText));
            }

            grid = [.. list];
        }

        var modelDir = parsed.FindModelDirectory();
        if (modelDir is null)
        {
            return Task.FromResult(VisionArgs.Usage("the models folder was not found; pass --models DIR", UsageText));
        }

        var samples = EvalFerCommand.LoadSamples(imagesDir, limit);
        if (samples.Count < Emotions.Count * 4)
        {
            return Task.FromResult(VisionArgs.Usage($"too few images in label folders ({string.Join(", ", Emotions.Names)}) under '{imagesDir}'", UsageText));
        }

        var options = new VisionOptions { ModelDirectory = modelDir };
        var faceApiSha = Sha256(options.ResolvePath(options.FaceApiFile));
        var features = LoadOrExtract(options, samples, faceApiSha, parsed.Get("--cache"), threads, cancellationToken);
        if (features is null)
        {
            return Task.FromResult(1);
        }

        var labels = samples.Select(s => s.Label).ToArray();
        var (fitImages, validationImages) = EmotionHeadFitter.StratifiedSplit(labels, validation, seed);
        Console.Error.WriteLine($"{samples.Count} images: fitting on {fitImages.Length}, validating on {validationImages.Length} (seed {seed})");
        var byL2 = new Dictionary<string, double>();
        var bestL2 = grid[0];
        var bestAccuracy = -1.0;
        foreach (var l2 in grid)
        {
            var head = Fit(features, labels, fitImages, l2, iterations, learningRate, threads);
            var accuracy = FlipAccuracy(head, features, labels, validationImages);
            byL2[l2.ToString("R", CultureInfo.InvariantCulture)] = Math.Round(accuracy, 5);
            Console.Error.WriteLine($"l2 {l2:G3}: validation accuracy {accuracy:P2}");
            if (accuracy > bestAccuracy)
            {
                (bestL2, bestAccuracy) = (l2, accuracy);
            }
        }

        Console.Error.WriteLine($"refitting on all {samples.Count} images with l2 {bestL2:G3} ...");
        var all = Enumerable.Range(0, samples.Count).ToArray();
        var final = Fit(features, labels, all, bestL2, iterations, learningRate, threads);
        var trainAccuracy = FlipAccuracy(final, features, labels, all);
        final.Save(output, new EmotionHeadProvenance(
            FittedOn: System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(imagesDir))),
            Images: samples.Count,
            Command: string.Join(' ', ["moodgrains", .. Path, .. args]),
            Augmentation: "each image and its mirror image are separate training samples; predictions average the two",
            L2: bestL2,
            Iterations: iterations,
            LearningRate: learningRate,
            ValidationFraction: validation,
            Seed: seed,
            ValidationAccuracyByL2: byL2,
            ValidationAccuracy: Math.Round(bestAccuracy, 5),
            TrainAccuracy: Math.Round(trainAccuracy, 5),
            FaceApiSha256: faceApiSha));
        Console.WriteLine($"wrote {output}: l2 {bestL2:G3}, validation accuracy {bestAccuracy:P2} ({validationImages.Length} held-out images), " +
            $"training accuracy {trainAccuracy:P2} over {samples.Count} images");
        return Task.FromResult(0);
    }

    private static EmotionHead Fit(
        (float[] Plain, float[] Mirrored)[] features, int[] labels, int[] images, double l2, int iterations, double learningRate, int threads)
    {
        var x = new List<float[]>(images.Length * 2);
        var y = new List<int>(images.Length * 2);
        foreach (var i in images)
        {
            x.Add(features[i].Plain);
            x.Add(features[i].Mirrored);
            y.Add(labels[i]);
            y.Add(labels[i]);
        }

        return EmotionHeadFitter.Fit(x, y, l2, iterations, learningRate, threads, (step, loss) =>
        {
            if (step % 100 == 0 || step == iterations)
            {
                Console.Error.WriteLine($"  l2 {l2:G3} step {step}/{iterations}: loss {loss:F4}");
            }
        });
    }

    /// <summary>Accuracy as the classifier predicts: the head's probabilities averaged over the face and its mirror image.</summary>
    private static double FlipAccuracy(EmotionHead head, (float[] Plain, float[] Mirrored)[] features, int[] labels, int[] images)
    {
        var correct = 0;
        foreach (var i in images)
        {
            var a = head.Predict(features[i].Plain);
            var b = head.Predict(features[i].Mirrored);
            var best = 0;
            for (var c = 1; c < a.Length; c++)
            {
                if (a[c] + b[c] > a[best] + b[best])
                {
                    best = c;
                }
            }

            correct += best == labels[i] ? 1 : 0;
        }

        return (double)correct / images.Length;
    }

    /// <summary>
    /// Features of every image and its mirror, from the cache file when it was made from the same images and the same
    /// face-api model (extraction is most of the run time), else extracted and written there.
    /// </summary>
    private static (float[] Plain, float[] Mirrored)[]? LoadOrExtract(
        VisionOptions options, List<(string Path, int Label)> samples, string faceApiSha, string? cache, int threads, CancellationToken cancellationToken)
    {
        var key = Sha256Text(faceApiSha + "\n" + string.Join('\n', samples.Select(s => $"{System.IO.Path.GetFullPath(s.Path)}\t{s.Label}")));
        if (cache is not null && File.Exists(cache))
        {
            using var reader = new BinaryReader(File.OpenRead(cache));
            if (reader.ReadString() == key)
            {
                var count = reader.ReadInt32();
                var dims = reader.ReadInt32();
                var cached = new (float[], float[])[count];
                for (var i = 0; i < count; i++)
                {
                    cached[i] = (ReadFloats(reader, dims), ReadFloats(reader, dims));
                }

                Console.Error.WriteLine($"features of {count} images read from {cache}");
                return cached;
            }

            Console.Error.WriteLine($"{cache} was made from other images or another model; extracting again");
        }

        using var classifier = EmotionClassifier.CreateForEvaluation(options);
        var features = new (float[] Plain, float[] Mirrored)[samples.Count];
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

                if (Volatile.Read(ref failed) == 0)
                {
                    classifier.FaceApiFeatures(mats).CopyTo(features, from);
                }
            }
            finally
            {
                mats.ForEach(m => m.Dispose());
            }

            var finished = Interlocked.Add(ref done, count);
            if (finished / 2000 != (finished - count) / 2000)
            {
                Console.Error.WriteLine($"  features of {finished}/{samples.Count} images");
            }
        });
        if (failed > 0)
        {
            Console.Error.WriteLine($"error: {failed} image(s) could not be decoded");
            return null;
        }

        if (cache is not null)
        {
            using var writer = new BinaryWriter(File.Create(cache));
            writer.Write(key);
            writer.Write(features.Length);
            writer.Write(features[0].Plain.Length);
            foreach (var (plain, mirrored) in features)
            {
                WriteFloats(writer, plain);
                WriteFloats(writer, mirrored);
            }

            Console.Error.WriteLine($"features cached in {cache}");
        }

        return features;
    }

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[count];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static void WriteFloats(BinaryWriter writer, float[] values) =>
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    private static bool TryParseDouble(string? text, double fallback, out double value)
    {
        value = fallback;
        return text is null || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Sha256Text(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
