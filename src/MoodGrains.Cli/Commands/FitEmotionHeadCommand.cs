using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MoodGrains.Mood;
using MoodGrains.Training.Vision;
using MoodGrains.Vision;
using MoodGrains.Vision.Classification;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// Fits the FER head over face-api's pooled backbone features on a folder-per-label training set: features of each
/// image and its mirror (both are training samples); the form (plain logistic regression or one hidden layer) and the L2
/// strength are chosen on a stratified held-out slice of the same folder, then the winner is refitted on every image.
/// </summary>
internal sealed class FitEmotionHeadCommand : ICliCommand
{
    private const string UsageText =
        "moodgrains fit emotion-head --images DIR --out FILE.json [--hidden 0,256] [--l2 1e-4,1e-3,3e-3,1e-2,3e-2] [--hidden-l2 1e-4,1e-3] " +
        "[--iterations 500] [--epochs 30] [--dropout 0.3] [--validation 0.15] [--seed N] [--threads N] [--cache FILE] [--limit N] [--models DIR]";

    private const double LinearLearningRate = 0.05;
    private const double HiddenLearningRate = 1e-3;

    private static readonly double[] DefaultL2 = [1e-4, 1e-3, 3e-3, 1e-2, 3e-2];
    private static readonly double[] DefaultHiddenL2 = [1e-4, 1e-3];

    public IReadOnlyList<string> Path { get; } = ["fit", "emotion-head"];

    public string Summary => "fit the FER head over face-api's backbone features (l2 chosen on a held-out slice of the training folder)";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText,
            ["--images", "--out", "--hidden", "--l2", "--hidden-l2", "--iterations", "--epochs", "--dropout", "--validation", "--seed", "--threads", "--cache", "--limit", "--models"],
            []);
        var imagesDir = parsed.Folder("--images");
        var output = parsed.Required("--out");

        var iterations = parsed.Int("--iterations", 500, min: 1);
        var epochs = parsed.Int("--epochs", 30, min: 1);
        var threads = parsed.Int("--threads", 1, min: 1);
        var seed = parsed.Int("--seed", 20131, min: 1);
        var limit = parsed.Int("--limit", int.MaxValue, min: 1);
        var validation = parsed.Double("--validation", 0.15);
        var dropout = parsed.Double("--dropout", 0.3);
        if (validation is <= 0 or >= 0.5 || dropout is < 0 or >= 1)
        {
            throw parsed.Fail("--validation takes a fraction in (0, 0.5) and --dropout one in [0, 1)");
        }

        if (!TryParseList(parsed.Value("--l2"), DefaultL2, out var linearGrid) || !TryParseList(parsed.Value("--hidden-l2"), DefaultHiddenL2, out var hiddenGrid)
            || !TryParseList(parsed.Value("--hidden"), [0, 256], out var hiddenSizes) || hiddenSizes.Any(h => h != Math.Floor(h) || h > 4096))
        {
            throw parsed.Fail("--l2, --hidden-l2 and --hidden take comma-separated non-negative numbers (--hidden: whole, at most 4096)");
        }

        var configurations = hiddenSizes.SelectMany(h => (h == 0 ? linearGrid : hiddenGrid).Select(l2 => (Hidden: (int)h, L2: l2))).ToList();

        var modelDir = ModelFolder.Find(parsed.Value("--models")) ?? throw parsed.Fail("the models folder was not found; pass --models DIR");

        var samples = FerSamples.Load(imagesDir, limit);
        if (samples.Count < Emotions.Count * 4)
        {
            throw parsed.Fail($"too few images in label folders ({string.Join(", ", Emotions.Names)}) under '{imagesDir}'");
        }

        var options = new VisionOptions { ModelDirectory = modelDir };
        var faceApiSha = ModelFiles.Sha256(options.ResolvePath(options.FaceApiFile));
        var features = LoadOrExtract(options, samples, faceApiSha, parsed.Value("--cache"), threads, cancellationToken);
        if (features is null)
        {
            return Task.FromResult(1);
        }

        var labels = samples.Select(s => s.Label).ToArray();
        var (fitImages, validationImages) = EmotionHeadFitter.StratifiedSplit(labels, validation, seed);
        Console.Error.WriteLine($"{samples.Count} images: fitting on {fitImages.Length}, validating on {validationImages.Length} (seed {seed})");
        var byConfiguration = new Dictionary<string, double>();
        var best = configurations[0];
        var bestAccuracy = -1.0;
        var settings = new Settings(iterations, epochs, dropout, seed, threads);
        foreach (var configuration in configurations)
        {
            var head = Fit(features, labels, fitImages, configuration, settings);
            var accuracy = FlipAccuracy(head, features, labels, validationImages);
            byConfiguration[Name(configuration)] = Math.Round(accuracy, 5);
            Console.Error.WriteLine($"{Name(configuration)}: validation accuracy {accuracy:P2}");
            if (accuracy > bestAccuracy)
            {
                (best, bestAccuracy) = (configuration, accuracy);
            }
        }

        Console.Error.WriteLine($"refitting on all {samples.Count} images with {Name(best)} ...");
        var all = Enumerable.Range(0, samples.Count).ToArray();
        var final = Fit(features, labels, all, best, settings);
        var trainAccuracy = FlipAccuracy(final, features, labels, all);
        final.Save(output, new EmotionHeadProvenance(
            FittedOn: System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(imagesDir))),
            Images: samples.Count,
            Command: string.Join(' ', ["moodgrains", .. Path, .. args]),
            Augmentation: "each image and its mirror image are separate training samples; predictions average the two",
            HiddenUnits: best.Hidden,
            Dropout: best.Hidden > 0 ? dropout : 0,
            L2: best.L2,
            Iterations: best.Hidden > 0 ? epochs : iterations,
            LearningRate: best.Hidden > 0 ? HiddenLearningRate : LinearLearningRate,
            ValidationFraction: validation,
            Seed: seed,
            ValidationAccuracyByConfiguration: byConfiguration,
            ValidationAccuracy: Math.Round(bestAccuracy, 5),
            TrainAccuracy: Math.Round(trainAccuracy, 5),
            FaceApiSha256: faceApiSha));
        Console.WriteLine($"wrote {output}: {Name(best)}, validation accuracy {bestAccuracy:P2} ({validationImages.Length} held-out images), " +
            $"training accuracy {trainAccuracy:P2} over {samples.Count} images");
        return Task.FromResult(0);
    }

    private sealed record Settings(int Iterations, int Epochs, double Dropout, int Seed, int Threads);

    private static string Name((int Hidden, double L2) configuration) =>
        string.Create(CultureInfo.InvariantCulture, $"hidden={configuration.Hidden} l2={configuration.L2:R}");

    private static EmotionHead Fit(
        (float[] Plain, float[] Mirrored)[] features, int[] labels, int[] images, (int Hidden, double L2) configuration, Settings settings)
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

        var name = Name(configuration);
        if (configuration.Hidden > 0)
        {
            return EmotionHeadFitter.FitHidden(x, y, configuration.Hidden, configuration.L2, settings.Epochs, HiddenLearningRate, settings.Dropout,
                settings.Seed, settings.Threads, (epoch, loss) =>
                {
                    if (epoch % 5 == 0 || epoch == settings.Epochs)
                    {
                        Console.Error.WriteLine($"  {name} epoch {epoch}/{settings.Epochs}: loss {loss:F4}");
                    }
                });
        }

        return EmotionHeadFitter.Fit(x, y, configuration.L2, settings.Iterations, LinearLearningRate, settings.Threads, (step, loss) =>
        {
            if (step % 100 == 0 || step == settings.Iterations)
            {
                Console.Error.WriteLine($"  {name} step {step}/{settings.Iterations}: loss {loss:F4}");
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

        using var scorer = new ModelScorer(options);
        var features = new (float[] Plain, float[] Mirrored)[samples.Count];
        var failed = FerSamples.DecodeInBatches(samples, threads, 2000, n => $"  features of {n}/{samples.Count} images", cancellationToken,
            (from, mats) =>
            {
                // One unreadable image fails the whole fit below; its batch is not worth running.
                if (mats.TrueForAll(m => !m.Empty()))
                {
                    Array.ConvertAll(scorer.FaceApiFeatures(mats), v => (v.Plain, v.Mirrored)).CopyTo(features, from);
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

    private static bool TryParseList(string? text, double[] fallback, out double[] values)
    {
        values = fallback;
        if (text is null)
        {
            return true;
        }

        var list = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                return false;
            }

            list.Add(value);
        }

        values = [.. list];
        return values.Length > 0;
    }

    private static string Sha256Text(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
