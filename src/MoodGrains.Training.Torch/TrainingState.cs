using System.Text.Json;
using System.Text.Json.Serialization;

namespace MoodGrains.Training.Torch;

/// <summary>One finished epoch, as the log line and the checkpoint record it.</summary>
public sealed record EpochRecord(
    int Epoch,
    double LearningRate,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double ValidationMirrorAccuracy,
    double Seconds);

/// <summary>How far an unfinished epoch got: a checkpoint taken inside an epoch resumes from its next batch.</summary>
public sealed record EpochProgress(int Epoch, int Batches, double LossSum, long Correct, long Seen, double Seconds);

/// <summary>What a checkpoint holds besides the weights and the optimiser: where the run is and how it got there.</summary>
public sealed record TrainingState(
    TrainingSettings Settings,
    string Data,
    string Command,
    int TrainImages,
    int ValidationImages,
    int CompletedEpochs,
    long Steps,
    int BestEpoch,
    double BestValidationAccuracy,
    IReadOnlyList<EpochRecord> History,
    EpochProgress? Partial = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public double TotalSeconds => History.Sum(e => e.Seconds);

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    public static TrainingState Load(string path) =>
        JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"'{path}' holds no training state.");
}
