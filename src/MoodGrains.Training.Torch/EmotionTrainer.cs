using System.Diagnostics;
using System.Globalization;
using MoodGrains.Training.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace MoodGrains.Training.Torch;

/// <summary>
/// Trains <see cref="EmotionCnn"/> on a FER-style folder, holding out a stratified slice of it for validation, and
/// checkpoints after every epoch into <c>OUT/checkpoint</c> (weights, optimiser, <see cref="TrainingState"/>); the
/// weights of the epoch with the best held-out accuracy go to <c>OUT/best-model.bin</c>. Everything random in epoch
/// <c>e</c> is drawn from generators seeded with (seed, e), so a run resumed from a checkpoint continues exactly where
/// it stopped, whichever session resumes it.
/// </summary>
public sealed class EmotionTrainer(string dataDir, string outDir, int threads, TextWriter log)
{
    public const string CheckpointFolder = "checkpoint";
    public const string ModelFile = "model.bin";
    public const string OptimizerFile = "optimizer.bin";
    public const string StateFile = "state.json";
    public const string BestModelFile = "best-model.bin";
    public const string LogFile = "train.log";

    private const int ProgressEvery = 50;

    /// <summary>Inside an epoch, a checkpoint at most this often: a session that ends mid-epoch loses little.</summary>
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMinutes(5);

    /// <summary>Called after every training batch with (epoch, batches done in it); tests stop a run at a chosen batch with it.</summary>
    internal Action<int, int>? AfterBatch { get; init; }

    /// <summary>Where the latest checkpoint's files are, or null when there is none.</summary>
    public static string? LatestCheckpoint(string outDir)
    {
        foreach (var name in new[] { CheckpointFolder, CheckpointFolder + ".old" })
        {
            var dir = Path.Combine(outDir, name);
            if (File.Exists(Path.Combine(dir, StateFile)) && File.Exists(Path.Combine(dir, ModelFile)))
            {
                return dir;
            }
        }

        return null;
    }

    /// <summary>Trains from scratch with <paramref name="settings"/>, or resumes the checkpoint in the output folder.</summary>
    /// <returns>The state after the last epoch.</returns>
    public TrainingState Run(TrainingSettings? settings, bool resume, string command, CancellationToken cancellationToken)
    {
        NativeCompatibility.EnsureLoadable();
        torch.set_num_threads(threads);
        Directory.CreateDirectory(outDir);
        TrainingState? state = null;
        string? checkpoint = null;
        if (resume)
        {
            checkpoint = LatestCheckpoint(outDir) ?? throw new InvalidOperationException($"--resume: no checkpoint in '{outDir}'.");
            state = TrainingState.Load(Path.Combine(checkpoint, StateFile));
            settings = state.Settings;
        }
        else if (LatestCheckpoint(outDir) is not null)
        {
            throw new InvalidOperationException($"'{outDir}' already holds a checkpoint: pass --resume to continue it, or choose another --out.");
        }

        ArgumentNullException.ThrowIfNull(settings);
        Write($"loading {dataDir} ...");
        var data = FerTensors.Load(dataDir, settings.LimitPerClass);
        var (train, validation) = data.Split(settings.ValidationFraction, settings.SplitSeed);
        Write($"{data.Count} images: {train.Length} for training, {validation.Length} held out (seed {settings.SplitSeed}); {threads} torch threads");
        var teacher = settings.Teacher is null ? null : LoadTeacher(settings, data, train);

        torch.manual_seed(settings.Seed);
        using var model = new EmotionCnn(settings.Shape);
        if (checkpoint is not null)
        {
            // The weights first, then the optimiser over them and its state: the order a fresh run builds them in.
            model.load(Path.Combine(checkpoint, ModelFile));
        }
        else if (settings.InitialWeights is { } initial)
        {
            var hash = VerifiedSha256(initial, settings.InitialWeightsSha256, "the initial weights", "are");

            model.load(initial);
            Write($"starting from {initial} (sha256 {hash})");
        }

        var parameters = model.parameters().ToList();
        using var optimizer = torch.optim.SGD(parameters, settings.PeakLearningRate, settings.Momentum, weight_decay: settings.WeightDecay, nesterov: settings.Momentum > 0);
        var batchesPerEpoch = train.Length / settings.BatchSize;
        if (settings.BatchesPerEpoch > 0)
        {
            batchesPerEpoch = Math.Min(batchesPerEpoch, settings.BatchesPerEpoch);
        }

        if (batchesPerEpoch == 0)
        {
            throw new InvalidOperationException($"{train.Length} training images do not fill one batch of {settings.BatchSize}.");
        }

        var totalSteps = (long)batchesPerEpoch * settings.Epochs;
        if (state is not null && checkpoint is not null)
        {
            optimizer.load_state_dict(Path.Combine(checkpoint, OptimizerFile));
            Write($"resumed {checkpoint}: {state.CompletedEpochs} of {settings.Epochs} epochs done, best held-out accuracy {state.BestValidationAccuracy:P2} (epoch {state.BestEpoch})");
        }
        else
        {
            state = new TrainingState(settings, Path.GetFullPath(dataDir), command, train.Length, validation.Length, 0, 0, 0, 0, []);
            Write($"model: {settings.Shape}, {parameters.Sum(p => p.numel()):N0} parameters; augmentation: {settings.Augmentation}");
            Write($"settings: {settings.Epochs} epochs of {batchesPerEpoch} batches of {settings.BatchSize}, SGD Nesterov momentum {settings.Momentum}, peak lr {settings.PeakLearningRate}, " +
                $"warm-up {settings.WarmupEpochs} epochs then cosine, weight decay {settings.WeightDecay}, label smoothing {settings.LabelSmoothing}, seed {settings.Seed}" +
                (teacher is null ? "" : $", teacher weight {settings.TeacherWeight}"));
        }

        for (var epoch = state.CompletedEpochs + 1; epoch <= settings.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var partial = state.Partial is { } p && p.Epoch == epoch ? p : new EpochProgress(epoch, 0, 0, 0, 0, 0);
            var record = TrainEpoch(model, optimizer, data, teacher, train, validation, settings, partial, batchesPerEpoch, (epoch - 1L) * batchesPerEpoch, totalSteps,
                progress =>
                {
                    state = state with { Steps = ((epoch - 1L) * batchesPerEpoch) + progress.Batches, Partial = progress };
                    SaveCheckpoint(model, optimizer, state, best: false);
                },
                cancellationToken);
            var better = record.ValidationAccuracy > state.BestValidationAccuracy;
            state = state with
            {
                CompletedEpochs = epoch,
                Steps = (long)epoch * batchesPerEpoch,
                BestEpoch = better ? epoch : state.BestEpoch,
                BestValidationAccuracy = better ? record.ValidationAccuracy : state.BestValidationAccuracy,
                History = [.. state.History, record],
                Partial = null,
            };
            SaveCheckpoint(model, optimizer, state, better);
            Write(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch,3}/{settings.Epochs} lr {record.LearningRate:0.00000} train loss {record.TrainLoss:0.0000} acc {record.TrainAccuracy:P2} | held-out loss {record.ValidationLoss:0.0000} " +
                $"acc {record.ValidationAccuracy:P2} mirror {record.ValidationMirrorAccuracy:P2}{(better ? " *" : "")} | {record.Seconds:0} s"));
        }

        Write($"done: {state.CompletedEpochs} epochs in {TimeSpan.FromSeconds(state.TotalSeconds):g}; best held-out accuracy {state.BestValidationAccuracy:P2} at epoch {state.BestEpoch}");
        return state;
    }

    /// <summary>Loads the weights of a checkpoint (or <see cref="BestModelFile"/>) into a network of its stored shape.</summary>
    public static EmotionCnn LoadModel(string weightsFile, EmotionCnnShape shape)
    {
        var model = new EmotionCnn(shape);
        model.load(weightsFile);
        model.eval();
        return model;
    }

    private EpochRecord TrainEpoch(
        EmotionCnn model, TorchSharp.Modules.OptimizerHelper optimizer, FerTensors data, float[]? teacher, int[] train, int[] validation, TrainingSettings settings,
        EpochProgress start, int batches, long firstStep, long totalSteps, Action<EpochProgress> checkpoint, CancellationToken cancellationToken)
    {
        var epoch = start.Epoch;
        var clock = Stopwatch.StartNew();
        var order = (int[])train.Clone();
        new Random(Mix(settings.Seed, epoch, -1)).Shuffle(order);
        model.train();
        double lossSum = start.LossSum;
        long correct = start.Correct, seen = start.Seen;
        double learningRate = 0;
        var lastSave = clock.Elapsed;
        if (start.Batches > 0)
        {
            Write($"epoch {epoch}: continuing at batch {start.Batches + 1} of {batches}");
        }

        EpochProgress Progress(int done) => new(epoch, done, lossSum, correct, seen, start.Seconds + clock.Elapsed.TotalSeconds);

        for (var b = start.Batches; b < batches; b++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                checkpoint(Progress(b));
                Write($"stopped in epoch {epoch} after batch {b}; the checkpoint resumes there");
                cancellationToken.ThrowIfCancellationRequested();
            }

            using var scope = torch.NewDisposeScope();

            // Every batch draws from its own generators, so a run resumed at any batch continues as it would have.
            var random = new Random(Mix(settings.Seed, epoch, b));
            torch.manual_seed(Mix(settings.Seed, epoch, b));
            learningRate = settings.LearningRate(firstStep + b, totalSteps);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = learningRate;
            }

            var indices = order.AsSpan(b * settings.BatchSize, settings.BatchSize);
            var (images, labels) = data.Batch(indices);
            var augmented = settings.Augmentation.Apply(images, random);
            optimizer.zero_grad();
            var logits = model.forward(augmented);
            var loss = SmoothedCrossEntropy(logits, labels, settings.LabelSmoothing);
            if (teacher is not null)
            {
                loss = ((1 - settings.TeacherWeight) * loss) + (settings.TeacherWeight * SoftCrossEntropy(logits, TeacherTargets(teacher, indices)));
            }

            var lossValue = loss.item<float>();
            if (!float.IsFinite(lossValue))
            {
                // Stop before the step: the last checkpoint stays the last good state.
                throw new InvalidOperationException($"the training loss is {lossValue} at epoch {epoch}, batch {b + 1}; the last checkpoint is left as it was.");
            }

            loss.backward();
            optimizer.step();
            lossSum += lossValue * settings.BatchSize;
            correct += logits.argmax(1).eq(labels).sum().item<long>();
            seen += settings.BatchSize;
            AfterBatch?.Invoke(epoch, b + 1);
            var done = b + 1 - start.Batches;
            if ((b + 1) % ProgressEvery == 0 && b + 1 < batches)
            {
                var perBatch = clock.Elapsed.TotalSeconds / done;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{DateTime.UtcNow:HH:mm:ss} epoch {epoch} batch {b + 1}/{batches} loss {lossSum / seen:0.0000} acc {(double)correct / seen:P2} {perBatch:0.00} s/batch, epoch ends in {perBatch * (batches - b - 1) / 60:0.0} min"));
            }

            if (clock.Elapsed - lastSave > CheckpointInterval && b + 1 < batches)
            {
                checkpoint(Progress(b + 1));
                lastSave = clock.Elapsed;
            }
        }

        var validationLimit = settings.BatchesPerEpoch > 0 ? Math.Min(validation.Length, settings.BatchesPerEpoch * settings.BatchSize) : validation.Length;
        var (validationLoss, plain, mirror) = Evaluate(model, data, validation.AsSpan(0, validationLimit).ToArray(), settings.LabelSmoothing);
        return new EpochRecord(epoch, learningRate, lossSum / seen, (double)correct / seen, validationLoss, plain, mirror, start.Seconds + clock.Elapsed.TotalSeconds);
    }

    /// <summary>A seed from (seed, epoch, batch) that is the same in every process (unlike <see cref="HashCode"/>).</summary>
    private static int Mix(int seed, int epoch, int batch) => unchecked((seed * 1_000_003) + (epoch * 100_019) + batch);

    /// <summary>Held-out loss, accuracy, and accuracy of the image and its mirror averaged (in probability).</summary>
    public static (double Loss, double Accuracy, double MirrorAccuracy) Evaluate(EmotionCnn model, FerTensors data, int[] indices, double labelSmoothing)
    {
        if (indices.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        model.eval();
        using var noGrad = torch.no_grad();
        double loss = 0;
        long plain = 0, mirror = 0;
        const int batch = 256;
        for (var from = 0; from < indices.Length; from += batch)
        {
            using var scope = torch.NewDisposeScope();
            var count = Math.Min(batch, indices.Length - from);
            var (images, labels) = data.Batch(indices.AsSpan(from, count));
            var logits = model.forward(images);
            loss += SmoothedCrossEntropy(logits, labels, labelSmoothing).item<float>() * count;
            plain += logits.argmax(1).eq(labels).sum().item<long>();
            var averaged = nn.functional.softmax(logits, 1) + nn.functional.softmax(model.forward(images.flip(3)), 1);
            mirror += averaged.argmax(1).eq(labels).sum().item<long>();
        }

        model.train();
        return (loss / indices.Length, (double)plain / indices.Length, (double)mirror / indices.Length);
    }

    /// <summary>Cross-entropy against targets that put <paramref name="smoothing"/> of their mass uniformly on all classes.</summary>
    public static Tensor SmoothedCrossEntropy(Tensor logits, Tensor labels, double smoothing)
    {
        var logProbabilities = nn.functional.log_softmax(logits, 1);
        var nll = -logProbabilities.gather(1, labels.unsqueeze(1)).squeeze(1);
        var uniform = -logProbabilities.mean([1]);
        return (((1 - smoothing) * nll) + (smoothing * uniform)).mean();
    }

    /// <summary>Cross-entropy against soft targets (rows of probabilities): the distillation term.</summary>
    public static Tensor SoftCrossEntropy(Tensor logits, Tensor targets) =>
        -(targets * nn.functional.log_softmax(logits, 1)).sum([1]).mean();

    /// <summary>
    /// The teacher's probabilities for every image in data order (Count x 7; held-out rows stay zero and are never
    /// read), after checking the file is the one the run was set up with and has a row for every training image.
    /// </summary>
    private float[] LoadTeacher(TrainingSettings settings, FerTensors data, int[] train)
    {
        var file = settings.Teacher!;
        var hash = VerifiedSha256(file, settings.TeacherSha256, "the teacher file", "is");

        var (name, rows) = TeacherFile.Read(file);
        const int classes = EmotionCnnShape.Classes;
        var table = new float[data.Count * classes];
        foreach (var i in train)
        {
            var relative = Path.GetRelativePath(dataDir, data.Paths[i]).Replace('\\', '/');
            if (!rows.TryGetValue(relative, out var probabilities))
            {
                throw new InvalidOperationException($"the teacher file '{file}' has no row for the training image '{relative}'.");
            }

            probabilities.CopyTo(table, i * classes);
        }

        Write($"teacher: {name} ({file}, sha256 {hash}), weight {settings.TeacherWeight}");
        return table;
    }

    /// <summary>The file's SHA-256, after checking it exists and, when the settings recorded one, that it is the same.</summary>
    private static string VerifiedSha256(string file, string? expected, string what, string verb)
    {
        var hash = File.Exists(file) ? ModelFiles.Sha256(file) : null;
        if (hash is null || (expected is not null && !string.Equals(hash, expected, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"{what} '{file}' {verb} {(hash is null ? "missing" : "not the file this run was set up with")}.");
        }

        return hash;
    }

    private static Tensor TeacherTargets(float[] teacher, ReadOnlySpan<int> indices)
    {
        var rows = new float[indices.Length * EmotionCnnShape.Classes];
        for (var i = 0; i < indices.Length; i++)
        {
            Array.Copy(teacher, indices[i] * EmotionCnnShape.Classes, rows, i * EmotionCnnShape.Classes, EmotionCnnShape.Classes);
        }

        var targets = empty([indices.Length, EmotionCnnShape.Classes]);
        targets.data<float>().CopyFrom(rows);
        return targets;
    }

    private void SaveCheckpoint(EmotionCnn model, TorchSharp.Modules.OptimizerHelper optimizer, TrainingState state, bool best)
    {
        if (model.parameters().Any(p => !p.isfinite().all().item<bool>()))
        {
            throw new InvalidOperationException($"the weights are no longer finite at epoch {state.Partial?.Epoch ?? state.CompletedEpochs}; the last checkpoint is left as it was.");
        }

        // Written beside, then swapped in, so a run killed while saving still finds a whole checkpoint.
        var current = Path.Combine(outDir, CheckpointFolder);
        var fresh = current + ".new";
        var old = current + ".old";
        if (Directory.Exists(fresh))
        {
            Directory.Delete(fresh, recursive: true);
        }

        Directory.CreateDirectory(fresh);
        model.save(Path.Combine(fresh, ModelFile));
        optimizer.save_state_dict(Path.Combine(fresh, OptimizerFile));
        state.Save(Path.Combine(fresh, StateFile));
        if (best)
        {
            File.Copy(Path.Combine(fresh, ModelFile), Path.Combine(outDir, BestModelFile + ".new"), overwrite: true);
            File.Move(Path.Combine(outDir, BestModelFile + ".new"), Path.Combine(outDir, BestModelFile), overwrite: true);
        }

        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }

        if (Directory.Exists(current))
        {
            Directory.Move(current, old);
        }

        Directory.Move(fresh, current);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    private void Write(string line)
    {
        var stamped = $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z {line}";
        log.WriteLine(stamped);
        log.Flush();
        File.AppendAllText(Path.Combine(outDir, LogFile), stamped + "\n");
    }
}
