using System.Text.Json;
using MoodGrains.Mood;

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

    public static void SoftmaxInPlace(Span<float> values)
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
        var file = JsonSerializer.Deserialize<EnsembleFile>(File.ReadAllText(path), ModelFileFormat.Json)
            ?? throw new InvalidDataException($"'{path}' is empty.");
        if (file.Weights is null || file.Bias is null)
        {
            throw new InvalidDataException($"'{path}' has no weights or bias.");
        }

        if (file.Labels is not null && !file.Labels.SequenceEqual(Emotions.Names))
        {
            throw new InvalidDataException($"'{path}' lists labels {string.Join(", ", file.Labels)}, not {string.Join(", ", Emotions.Names)}.");
        }

        return new EnsembleModel(file.Weights, file.Bias);
    }
}
