using System.Globalization;
using System.Runtime.InteropServices;
using MoodGrains.Training.Torch;

namespace MoodGrains.Cli.Commands;

/// <summary>Trains our own emotion network (<see cref="EmotionCnn"/>) on a FER-style folder, with checkpoints and resume.</summary>
internal sealed class TrainEmotionCommand : ICliCommand
{
    private const string UsageText = "moodgrains train emotion --data DIR --out DIR [--resume] [--epochs N] [--seed S] [--threads N] [--batch-size N] " +
        "[--lr X] [--weight-decay X] [--label-smoothing X] [--validation F] [--split-seed S] [--widths 32,64,128,256] [--convs N] [--dropout X] " +
        "[--batches N (smoke: batches per epoch)] [--limit N (images per class)]";

    /// <summary>The exported network, in the output folder of a finished run.</summary>
    public const string OnnxFile = "moodgrains-cnn.onnx";

    private const int ParityImages = 64;

    public IReadOnlyList<string> Path { get; } = ["train", "emotion"];

    public string Summary => "train our own emotion CNN on FER-2013's training split (TorchSharp, CPU)";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText,
            ["--data", "--out", "--epochs", "--seed", "--threads", "--batch-size", "--lr", "--weight-decay", "--label-smoothing", "--validation",
                "--split-seed", "--widths", "--convs", "--dropout", "--batches", "--limit"],
            ["--resume"]);
        var data = parsed.Folder("--data");
        var output = parsed.Required("--out");

        var threads = parsed.Int("--threads", 2, min: 1);
        var resume = parsed.Has("--resume");
        TrainingSettings? settings = null;
        if (resume)
        {
            var given = args.Where(a => a.StartsWith("--", StringComparison.Ordinal))
                .Select(a => a.Split('=')[0])
                .Except(["--data", "--out", "--threads", "--resume"], StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (given.Count > 0)
            {
                throw parsed.Fail($"--resume continues the stored settings; {string.Join(", ", given)} cannot change them");
            }
        }
        else
        {
            settings = Settings(parsed);
        }

        // A run is stopped by SIGTERM as often as by Ctrl+C (a session ending, kill PID): both save a checkpoint first.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        var trainer = new EmotionTrainer(data, output, threads, Console.Out);
        try
        {
            trainer.Run(settings, resume, string.Join(' ', ["moodgrains", .. Path, .. args]), stop.Token);
        }
        catch (InvalidOperationException e)
        {
            throw parsed.Fail(e.Message);
        }

        // The finished run's best epoch, exported and checked; a parity failure fails the command.
        try
        {
            TrainedModelExport.Export(output, System.IO.Path.Combine(output, OnnxFile), best: true, ParityImages, Console.Out);
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Task.FromResult(1);
        }

        return Task.FromResult(0);
    }

    private static TrainingSettings Settings(CliArgs parsed)
    {
        var shape = EmotionCnnShape.Default;
        if (parsed.Value("--widths") is { } widths)
        {
            var list = widths.Split(',').Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1).ToList();
            if (list.Contains(-1))
            {
                throw parsed.Fail($"--widths takes positive whole numbers separated by commas, not '{widths}'");
            }

            shape = shape with { Widths = list };
        }

        shape = shape with { ConvsPerBlock = parsed.Int("--convs", shape.ConvsPerBlock, min: 1), Dropout = Fraction(parsed, "--dropout", shape.Dropout) };
        var defaults = new TrainingSettings(shape, Augmentation.Default);
        var lr = parsed.Double("--lr", defaults.PeakLearningRate);
        var weightDecay = parsed.Double("--weight-decay", defaults.WeightDecay);
        if (lr <= 0 || weightDecay < 0)
        {
            throw parsed.Fail("--lr must be positive and --weight-decay not negative");
        }

        return defaults with
        {
            Epochs = parsed.Int("--epochs", defaults.Epochs, min: 1),
            Seed = parsed.Int("--seed", defaults.Seed),
            SplitSeed = parsed.Int("--split-seed", defaults.SplitSeed),
            BatchSize = parsed.Int("--batch-size", defaults.BatchSize, min: 2),
            PeakLearningRate = lr,
            WeightDecay = weightDecay,
            LabelSmoothing = Fraction(parsed, "--label-smoothing", defaults.LabelSmoothing),
            ValidationFraction = Fraction(parsed, "--validation", defaults.ValidationFraction),
            BatchesPerEpoch = parsed.Int("--batches", 0, min: 1),
            LimitPerClass = parsed.Int("--limit", int.MaxValue, min: 1),
        };
    }

    private static double Fraction(CliArgs parsed, string name, double fallback)
    {
        var value = parsed.Double(name, fallback);
        return value is >= 0 and < 1 ? value : throw parsed.Fail($"{name} takes a number from 0 up to (not including) 1, not '{value}'");
    }
}
