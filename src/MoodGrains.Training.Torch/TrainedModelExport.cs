using System.Globalization;
using System.Text.Json;
using MoodGrains.Training.Vision;

namespace MoodGrains.Training.Torch;

/// <summary>What an export wrote and how closely ONNX Runtime reproduces the trained network.</summary>
public sealed record ExportResult(string Path, string Sha256, int Epoch, double ValidationAccuracy, int ParityImages, double MaxAbsDifference);

/// <summary>
/// Exports a training run's network (the epoch with the best held-out accuracy, or the latest checkpoint) to ONNX with
/// its provenance in the file's metadata, then checks parity on held-out images and fails above the tolerance.
/// </summary>
public static class TrainedModelExport
{
    public const double Tolerance = 1e-4;

    public static ExportResult Export(string runDir, string onnxPath, bool best, int parityImages, TextWriter log)
    {
        NativeCompatibility.EnsureLoadable();
        var checkpoint = EmotionTrainer.LatestCheckpoint(runDir) ?? throw new InvalidOperationException($"'{runDir}' holds no training checkpoint.");
        var state = TrainingState.Load(Path.Combine(checkpoint, EmotionTrainer.StateFile));
        var bestFile = Path.Combine(runDir, EmotionTrainer.BestModelFile);
        var useBest = best && File.Exists(bestFile);
        var weights = useBest ? bestFile : Path.Combine(checkpoint, EmotionTrainer.ModelFile);
        var epoch = useBest ? state.BestEpoch : state.CompletedEpochs;
        var accuracy = useBest ? state.BestValidationAccuracy : state.History.LastOrDefault()?.ValidationAccuracy ?? double.NaN;
        using var model = EmotionTrainer.LoadModel(weights, state.Settings.Shape);
        var metadata = new Dictionary<string, string>
        {
            ["command"] = state.Command,
            ["trained_on"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(state.Data)),
            ["seed"] = state.Settings.Seed.ToString(CultureInfo.InvariantCulture),
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["epochs_completed"] = state.CompletedEpochs.ToString(CultureInfo.InvariantCulture),
            ["held_out_accuracy"] = accuracy.ToString("0.0000", CultureInfo.InvariantCulture),
            ["training_seconds"] = state.TotalSeconds.ToString("0", CultureInfo.InvariantCulture),
            ["settings"] = JsonSerializer.Serialize(state.Settings),
        };
        OnnxExport.Write(model, onnxPath, metadata);

        var data = FerTensors.Load(state.Data, state.Settings.LimitPerClass);
        var (_, validation) = data.Split(state.Settings.ValidationFraction, state.Settings.SplitSeed);
        var indices = validation.Length > 0 ? validation : Enumerable.Range(0, data.Count).ToArray();
        var count = Math.Min(parityImages, indices.Length);
        var (images, labels) = data.Batch(indices.AsSpan(0, count));
        double difference;
        using (images)
        using (labels)
        {
            difference = OnnxParity.MaxAbsDifference(model, onnxPath, images);
        }

        var result = new ExportResult(onnxPath, ModelFiles.Sha256(onnxPath), epoch, accuracy, count, difference);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {onnxPath} (epoch {epoch}, held-out accuracy {accuracy:P2}); parity with TorchSharp on {count} held-out images: max abs diff {difference:0.00e0} (limit {Tolerance:0e0}); sha256 {result.Sha256}"));
        if (!(difference < Tolerance))
        {
            throw new InvalidDataException($"'{onnxPath}' differs from the trained network by {difference} (limit {Tolerance}).");
        }

        return result;
    }
}
