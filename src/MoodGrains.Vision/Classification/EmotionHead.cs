using System.Numerics.Tensors;
using System.Text.Json;
using MoodGrains.Mood;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// A FER-2013 classifier over face-api's pooled backbone features: standardise each feature, optionally one hidden
/// layer of rectified linear units, then a multinomial logistic regression. face-api's backbone never saw FER-2013, so a head fitted on FER's training split learns
/// features that carry over to its test splits, unlike anything stacked on mini-Xception (which memorised that split).
/// </summary>
public sealed class EmotionHead
{
    public EmotionHead(float[] mean, float[] scale, float[][] weights, float[] bias, float[][]? hiddenWeights = null, float[]? hiddenBias = null)
    {
        var dims = mean.Length;
        if ((hiddenWeights is null) != (hiddenBias is null))
        {
            throw new ArgumentException("A hidden layer needs both its weights and its biases.");
        }

        if (hiddenWeights is not null && (hiddenWeights.Length == 0 || hiddenBias!.Length != hiddenWeights.Length
            || hiddenWeights.Any(w => w is null || w.Length != dims)))
        {
            throw new ArgumentException($"A hidden layer needs one weight row of {dims} per unit and one bias per unit.");
        }

        var inputs = hiddenWeights?.Length ?? dims;
        if (dims == 0 || scale.Length != dims || weights.Length != Emotions.Count || weights.Any(w => w is null || w.Length != inputs)
            || bias.Length != Emotions.Count)
        {
            throw new ArgumentException(
                $"An emotion head needs equal-length mean and scale, {Emotions.Count} weight rows of {inputs} and {Emotions.Count} biases.");
        }

        var numbers = mean.Concat(bias).Concat(weights.SelectMany(w => w))
            .Concat(hiddenBias ?? []).Concat(hiddenWeights?.SelectMany(w => w) ?? []);
        if (scale.Any(s => !(s > 0) || float.IsInfinity(s)) || numbers.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("An emotion head's numbers must be finite and its scales positive.");
        }

        Mean = mean;
        Scale = scale;
        Weights = weights;
        Bias = bias;
        HiddenWeights = hiddenWeights;
        HiddenBias = hiddenBias;
    }

    public int FeatureCount => Mean.Length;

    /// <summary>Units in the hidden layer; 0 for a plain logistic regression.</summary>
    public int HiddenUnits => HiddenWeights?.Length ?? 0;

    /// <summary>[unit][feature] on standardised features, or null without a hidden layer.</summary>
    public float[][]? HiddenWeights { get; }

    public float[]? HiddenBias { get; }

    /// <summary>Subtracted from each raw feature before scaling.</summary>
    public float[] Mean { get; }

    /// <summary>Each centred feature is divided by this (its standard deviation over the fitting set).</summary>
    public float[] Scale { get; }

    /// <summary>[class][input], classes in canonical <see cref="Emotion"/> order; inputs are the hidden units if any, else the standardised features.</summary>
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
        var inputs = standard;
        if (HiddenWeights is not null)
        {
            var hidden = new float[HiddenWeights.Length];
            for (var j = 0; j < hidden.Length; j++)
            {
                hidden[j] = Math.Max(0f, HiddenBias![j] + TensorPrimitives.Dot(HiddenWeights[j], standard));
            }

            inputs = hidden;
        }

        var logits = new float[Emotions.Count];
        for (var c = 0; c < Emotions.Count; c++)
        {
            logits[c] = Bias[c] + TensorPrimitives.Dot(Weights[c], inputs);
        }

        EnsembleModel.SoftmaxInPlace(logits);
        return logits;
    }

    /// <summary>Reads a head file (<see cref="EmotionHeadFile"/>); every problem is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static EmotionHead Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The emotion head file '{Path.GetFullPath(path)}' does not exist.", path);
        }

        EmotionHeadFile? file;
        try
        {
            file = JsonSerializer.Deserialize<EmotionHeadFile>(File.ReadAllText(path), ModelFileFormat.Json);
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
            return new EmotionHead(file.Mean, file.Scale, file.Weights, file.Bias, file.HiddenWeights, file.HiddenBias);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }
}
