using System.Globalization;
using System.Runtime.InteropServices;
using MoodGrains.Training.Torch;
using MoodGrains.Training.Vision;

namespace MoodGrains.Cli.Commands;

/// <summary>Trains our own emotion network (<see cref="EmotionCnn"/>) on a FER-style folder, with checkpoints and resume.</summary>
internal sealed class TrainEmotionCommand : ICliCommand
{
    private const string UsageText = "moodgrains train emotion --data DIR --out DIR [--resume] [--epochs N] [--seed S] [--threads N] [--batch-size N] " +
        "[--lr X] [--weight-decay X] [--label-smoothing X] [--validation F] [--split-seed S] [--widths 32,64,128,256] [--convs N] [--dropout X] " +
        "[--batches N (smoke: batches per epoch)] [--limit N (images per class)] [--init RUN_DIR (start from that run's best weights)] " +
        "[--teacher FILE.csv (soft targets from eval fer --probabilities) [--teacher-weight W (default 0.5)]]";

    /// <summary>The exported network, in the output folder of a finished run.</summary>
    public const string OnnxFile = "moodgrains-cnn.onnx";

    private const int ParityImages = 64;

    public IReadOnlyList<string> Path { get; } = ["train", "emotion"];

    public string Summary => "train our own emotion CNN on FER-2013's training split (TorchSharp, CPU)";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText,
            ["--data", "--out", "--epochs", "--seed", "--threads", "--batch-size", "--lr", "--weight-decay", "--label-smoothing", "--validation",
                "--split-seed", "--widths", "--convs", "--dropout", "--batches", "--limit", "--init", "--teacher", "--teacher-weight"],
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
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
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
        if (parsed.Value("--init") is { } initRun)
        {
            return Continuation(parsed, initRun);
        }

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
        return Settings(parsed, shape);
    }

    private static TrainingSettings Settings(CliArgs parsed, EmotionCnnShape shape)
    {
        var defaults = new TrainingSettings(shape, Augmentation.Default);
        var lr = parsed.Double("--lr", defaults.PeakLearningRate);
        var weightDecay = parsed.Double("--weight-decay", defaults.WeightDecay);
        if (lr <= 0 || weightDecay < 0)
        {
            throw parsed.Fail("--lr must be positive and --weight-decay not negative");
        }

        var teacher = parsed.Value("--teacher") is { } file ? System.IO.Path.GetFullPath(file) : null;
        if (teacher is null && parsed.Has("--teacher-weight"))
        {
            throw parsed.Fail("--teacher-weight needs --teacher FILE");
        }

        if (teacher is not null && !File.Exists(teacher))
        {
            throw parsed.Fail($"--teacher: '{teacher}' does not exist (write it with moodgrains eval fer --images DIR --model NAME --probabilities FILE)");
        }

        if (teacher is not null)
        {
            try
            {
                _ = TeacherFile.Read(teacher);
            }
            catch (InvalidDataException e)
            {
                throw parsed.Fail("--teacher: " + e.Message);
            }
        }

        var teacherWeight = teacher is null ? 0 : parsed.Double("--teacher-weight", 0.5);
        if (teacher is not null && teacherWeight is <= 0 or > 1)
        {
            throw parsed.Fail($"--teacher-weight takes a number above 0 and at most 1, not '{teacherWeight}'");
        }

        return defaults with
        {
            Teacher = teacher,
            TeacherSha256 = teacher is null ? null : ModelFiles.Sha256(teacher),
            TeacherWeight = teacherWeight,
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

    /// <summary>
    /// A second learning-rate cycle from another run's best weights. The network's shape and the held-out slice come
    /// from that run (a different slice would validate on images the weights were trained on); the schedule, seed and
    /// regularisation are this run's own.
    /// </summary>
    private static TrainingSettings Continuation(CliArgs parsed, string initRun)
    {
        var fixedByInit = new[] { "--widths", "--convs", "--dropout", "--split-seed", "--validation", "--limit" }.Where(o => parsed.Value(o) is not null).ToList();
        if (fixedByInit.Count > 0)
        {
            throw parsed.Fail($"--init takes the network and the held-out slice from that run; {string.Join(", ", fixedByInit)} cannot change them");
        }

        var checkpoint = EmotionTrainer.LatestCheckpoint(initRun) ?? throw parsed.Fail($"--init: '{initRun}' holds no training checkpoint");
        var weights = System.IO.Path.GetFullPath(System.IO.Path.Combine(initRun, EmotionTrainer.BestModelFile));
        if (!File.Exists(weights))
        {
            throw parsed.Fail($"--init: '{initRun}' has no {EmotionTrainer.BestModelFile} (no epoch finished)");
        }

        var from = TrainingState.Load(System.IO.Path.Combine(checkpoint, EmotionTrainer.StateFile)).Settings;
        var own = Settings(parsed, from.Shape);
        return own with
        {
            SplitSeed = from.SplitSeed,
            ValidationFraction = from.ValidationFraction,
            LimitPerClass = from.LimitPerClass,
            InitialWeights = weights,
            InitialWeightsSha256 = ModelFiles.Sha256(weights),
        };
    }

    private static double Fraction(CliArgs parsed, string name, double fallback)
    {
        var value = parsed.Double(name, fallback);
        return value is >= 0 and < 1 ? value : throw parsed.Fail($"{name} takes a number from 0 up to (not including) 1, not '{value}'");
    }
}
