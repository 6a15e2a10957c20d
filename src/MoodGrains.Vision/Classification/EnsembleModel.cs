using System.Text.Json;
using System.Text.Json.Serialization;
using MoodGrains.Abstractions.Mood;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// The stacked ensemble: a multinomial logistic regression whose 14 inputs are the log flip-averaged probabilities
/// of mini-Xception and of face-api's expression net (canonical order each), fitted on FER-2013's training set.
/// </summary>
public sealed class EnsembleModel
{
    public const int FeatureCount = 2 * Emotions.Count;

    // Log of a probability is unbounded below; the floor keeps one confident zero from dominating the sum.
    private const float ProbabilityFloor = 1e-6f;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public EnsembleModel(float[][] weights, float[] bias)
    {
        if (weights.Length != Emotions.Count || weights.Any(w => w.Length != FeatureCount) || bias.Length != Emotions.Count)
        {
            throw new ArgumentException($"An ensemble needs {Emotions.Count}x{FeatureCount} weights and {Emotions.Count} biases.");
        }

        Weights = weights;
        Bias = bias;
    }

    /// <summary>[class][feature]: classes in canonical order; features are Xception's 7 then face-api's 7.</summary>
    public float[][] Weights { get; }

    public float[] Bias { get; }

    public static void Features(ReadOnlySpan<float> xception, ReadOnlySpan<float> faceApi, Span<float> features)
    {
        for (var i = 0; i < Emotions.Count; i++)
        {
            features[i] = MathF.Log(Math.Max(xception[i], ProbabilityFloor));
            features[Emotions.Count + i] = MathF.Log(Math.Max(faceApi[i], ProbabilityFloor));
        }
    }

    public float[] Predict(ReadOnlySpan<float> xception, ReadOnlySpan<float> faceApi)
    {
        Span<float> features = stackalloc float[FeatureCount];
        Features(xception, faceApi, features);
        return PredictFromFeatures(features);
    }

    public float[] PredictFromFeatures(ReadOnlySpan<float> features)
    {
        var logits = new float[Emotions.Count];
        for (var c = 0; c < Emotions.Count; c++)
        {
            var z = Bias[c];
            for (var f = 0; f < FeatureCount; f++)
            {
                z += Weights[c][f] * features[f];
            }

            logits[c] = z;
        }

        SoftmaxInPlace(logits);
        return logits;
    }

    internal static void SoftmaxInPlace(Span<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    public static EnsembleModel Load(string path)
    {
        var file = JsonSerializer.Deserialize<EnsembleFile>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"'{path}' is empty.");
        if (file.Weights is null || file.Bias is null)
        {
            throw new InvalidDataException($"'{path}' has no weights or bias.");
        }

        return new EnsembleModel(file.Weights, file.Bias);
    }

    /// <summary>Writes the weights with where they came from, so the shipped file explains itself.</summary>
    public void Save(string path, EnsembleProvenance provenance)
    {
        var file = new EnsembleFile
        {
            Description = "Multinomial logistic regression over log flip-averaged probabilities of emotion-xception.onnx " +
                "(features 0-6) and face-expression.onnx (features 7-13), classes and features in the order of 'labels'.",
            Labels = [.. Emotions.Names],
            Provenance = provenance,
            Weights = Weights,
            Bias = Bias,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(file, Json) + "\n");
    }

    private sealed class EnsembleFile
    {
        public string? Description { get; set; }

        public string[]? Labels { get; set; }

        public EnsembleProvenance? Provenance { get; set; }

        public float[][]? Weights { get; set; }

        public float[]? Bias { get; set; }
    }
}

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
