using System.Numerics.Tensors;
using System.Text.Json;
using System.Text.Json.Serialization;
using MoodGrains.Abstractions.Mood;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// A FER-2013 classifier over face-api's pooled backbone features: standardise each feature, then a multinomial
/// logistic regression. face-api's backbone never saw FER-2013, so a head fitted on FER's training split learns
/// features that carry over to its test splits, unlike anything stacked on mini-Xception (which memorised that split).
/// </summary>
public sealed class EmotionHead
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public EmotionHead(float[] mean, float[] scale, float[][] weights, float[] bias)
    {
        var dims = mean.Length;
        if (dims == 0 || scale.Length != dims || weights.Length != Emotions.Count || weights.Any(w => w is null || w.Length != dims)
            || bias.Length != Emotions.Count)
        {
            throw new ArgumentException(
                $"An emotion head needs equal-length mean and scale, {Emotions.Count} weight rows of that length and {Emotions.Count} biases.");
        }

        if (scale.Any(s => !(s > 0) || float.IsInfinity(s)) || mean.Concat(bias).Concat(weights.SelectMany(w => w)).Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("An emotion head's numbers must be finite and its scales positive.");
        }

        Mean = mean;
        Scale = scale;
        Weights = weights;
        Bias = bias;
    }

    public int FeatureCount => Mean.Length;

    /// <summary>Subtracted from each raw feature before scaling.</summary>
    public float[] Mean { get; }

    /// <summary>Each centred feature is divided by this (its standard deviation over the fitting set).</summary>
    public float[] Scale { get; }

    /// <summary>[class][feature], classes in canonical <see cref="Emotion"/> order, on standardised features.</summary>
    public float[][] Weights { get; }

    public float[] Bias { get; }

    /// <summary>Emotion probabilities (canonical order) for one raw feature vector.</summary>
    public float[] Predict(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"The head reads {FeatureCount} features, not {features.Length}.", nameof(features));
        }

        Span<float> standard = features.Length <= 1024 ? stackalloc float[features.Length] : new float[features.Length];
        Standardise(features, standard);
        return PredictStandardised(standard);
    }

    public void Standardise(ReadOnlySpan<float> features, Span<float> standard)
    {
        for (var f = 0; f < features.Length; f++)
        {
            standard[f] = (features[f] - Mean[f]) / Scale[f];
        }
    }

    public float[] PredictStandardised(ReadOnlySpan<float> standard)
    {
        var logits = new float[Emotions.Count];
        for (var c = 0; c < Emotions.Count; c++)
        {
            logits[c] = Bias[c] + TensorPrimitives.Dot(Weights[c], standard);
        }

        EnsembleModel.SoftmaxInPlace(logits);
        return logits;
    }

    /// <summary>Reads a head file written by <see cref="Save"/>; every problem is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static EmotionHead Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The emotion head file '{Path.GetFullPath(path)}' does not exist.", path);
        }

        HeadFile? file;
        try
        {
            file = JsonSerializer.Deserialize<HeadFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not an emotion head file: {e.Message}", e);
        }

        if (file?.Mean is null || file.Scale is null || file.Weights is null || file.Bias is null)
        {
            throw new InvalidDataException($"'{path}' lacks one of mean, scale, weights, bias.");
        }

        if (file.Labels is not null && !file.Labels.SequenceEqual(Emotions.Names))
        {
            throw new InvalidDataException($"'{path}' lists labels {string.Join(", ", file.Labels)}, not {string.Join(", ", Emotions.Names)}.");
        }

        try
        {
            return new EmotionHead(file.Mean, file.Scale, file.Weights, file.Bias);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Writes the head with where it came from, so the shipped file explains itself.</summary>
    public void Save(string path, EmotionHeadProvenance provenance)
    {
        var file = new HeadFile
        {
            Description = $"Multinomial logistic regression over the {FeatureCount} pooled backbone features of face-expression.onnx " +
                "(its output named features), each standardised as (x - mean) / scale; classes in the order of 'labels'.",
            Labels = [.. Emotions.Names],
            Provenance = provenance,
            Mean = Mean,
            Scale = Scale,
            Weights = Weights,
            Bias = Bias,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(file, Json) + "\n");
    }

    private sealed class HeadFile
    {
        public string? Description { get; set; }

        public string[]? Labels { get; set; }

        public EmotionHeadProvenance? Provenance { get; set; }

        public float[]? Mean { get; set; }

        public float[]? Scale { get; set; }

        public float[][]? Weights { get; set; }

        public float[]? Bias { get; set; }
    }
}

/// <summary>How a head file was made.</summary>
public sealed record EmotionHeadProvenance(
    string FittedOn,
    int Images,
    string Command,
    string Augmentation,
    double L2,
    int Iterations,
    double LearningRate,
    double ValidationFraction,
    int Seed,
    IReadOnlyDictionary<string, double> ValidationAccuracyByL2,
    double ValidationAccuracy,
    double TrainAccuracy,
    string FaceApiSha256);
