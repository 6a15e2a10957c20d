using System.Security.Cryptography;
using System.Text.Json;
using MoodGrains.Mood;
using MoodGrains.Vision.Classification;

namespace MoodGrains.Training.Vision;

/// <summary>
/// Writes fitted heads and ensembles in the files <see cref="EmotionHead.Load"/> and <see cref="EnsembleModel.Load"/>
/// read (<see cref="ModelFileFormat"/>), with a description and where they came from, so a shipped file explains itself.
/// </summary>
public static class ModelFiles
{
    public static void Save(this EmotionHead head, string path, EmotionHeadProvenance provenance)
    {
        var file = new EmotionHeadFile
        {
            Description = (head.HiddenUnits > 0
                    ? $"One hidden layer of {head.HiddenUnits} rectified linear units (hidden_weights, hidden_bias), then a multinomial logistic regression (weights, bias), "
                    : "Multinomial logistic regression (weights, bias) ")
                + $"over the {head.FeatureCount} pooled backbone features of face-expression.onnx (its output named features), "
                + "each standardised as (x - mean) / scale; classes in the order of labels.",
            Labels = [.. Emotions.Names],
            Provenance = provenance,
            Mean = head.Mean,
            Scale = head.Scale,
            HiddenWeights = head.HiddenWeights,
            HiddenBias = head.HiddenBias,
            Weights = head.Weights,
            Bias = head.Bias,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(file, ModelFileFormat.Json) + "\n");
    }

    public static void Save(this EnsembleModel ensemble, string path, EnsembleProvenance provenance)
    {
        var file = new EnsembleFile
        {
            Description = "Multinomial logistic regression over log flip-averaged probabilities of emotion-xception.onnx " +
                "(features 0-6) and face-expression.onnx (features 7-13), classes and features in the order of 'labels'.",
            Labels = [.. Emotions.Names],
            Provenance = provenance,
            Weights = ensemble.Weights,
            Bias = ensemble.Bias,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(file, ModelFileFormat.Json) + "\n");
    }

    /// <summary>The SHA-256 of a model file, as provenance records it.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>How a head file was made.</summary>
/// <param name="Iterations">full-batch steps for a plain regression; passes over the data (mini-batches) with a hidden layer.</param>
/// <param name="ValidationAccuracyByConfiguration">every configuration tried, keyed "hidden=H l2=X", with its held-out accuracy.</param>
public sealed record EmotionHeadProvenance(
    string FittedOn,
    int Images,
    string Command,
    string Augmentation,
    int HiddenUnits,
    double Dropout,
    double L2,
    int Iterations,
    double LearningRate,
    double ValidationFraction,
    int Seed,
    IReadOnlyDictionary<string, double> ValidationAccuracyByConfiguration,
    double ValidationAccuracy,
    double TrainAccuracy,
    string FaceApiSha256);

/// <summary>How an ensemble file was made.</summary>
public sealed record EnsembleProvenance(
    string FittedOn,
    int Images,
    string Command,
    double L2,
    int Iterations,
    double TrainAccuracy,
    string XceptionSha256,
    string FaceApiSha256);
