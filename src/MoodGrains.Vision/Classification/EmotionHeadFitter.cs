using System.Numerics.Tensors;
using MoodGrains.Abstractions.Mood;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// Fits an <see cref="EmotionHead"/>: standardise the features, then a multinomial logistic regression by full-batch
/// gradient descent with Adam and an L2 penalty on the weights (not the biases), the same recipe as
/// <see cref="SoftmaxRegression"/> but for hundreds of features, so the sums are vectorised and split over threads.
/// </summary>
public static class EmotionHeadFitter
{
    /// <summary>Fits on <paramref name="features"/> (raw, [sample][feature]) with canonical emotion indices as labels.</summary>
    public static EmotionHead Fit(
        IReadOnlyList<float[]> features,
        IReadOnlyList<int> labels,
        double l2,
        int iterations,
        double learningRate = 0.05,
        int threads = 1,
        Action<int, double>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(features.Count);
        ArgumentOutOfRangeException.ThrowIfNotEqual(labels.Count, features.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var dims = features[0].Length;
        var (mean, scale) = Standardisation(features);
        var x = new float[features.Count][];
        for (var s = 0; s < x.Length; s++)
        {
            if (features[s].Length != dims)
            {
                throw new ArgumentException($"Sample {s} has {features[s].Length} features, not {dims}.", nameof(features));
            }

            x[s] = new float[dims];
            for (var f = 0; f < dims; f++)
            {
                x[s][f] = (features[s][f] - mean[f]) / scale[f];
            }
        }

        var classes = Emotions.Count;
        var weights = Enumerable.Range(0, classes).Select(_ => new float[dims]).ToArray();
        var bias = new float[classes];
        var m = Enumerable.Range(0, classes).Select(_ => new double[dims + 1]).ToArray();
        var v = Enumerable.Range(0, classes).Select(_ => new double[dims + 1]).ToArray();
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var chunks = Math.Min(x.Length, threads * 4);
        var n = x.Length;

        for (var step = 1; step <= iterations; step++)
        {
            var partials = new (float[][] Gradient, double[] BiasGradient, double Loss)[chunks];
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
            {
                var gradient = Enumerable.Range(0, classes).Select(_ => new float[dims]).ToArray();
                var biasGradient = new double[classes];
                var logits = new double[classes];
                var loss = 0.0;
                var from = (int)((long)n * chunk / chunks);
                var to = (int)((long)n * (chunk + 1) / chunks);
                for (var s = from; s < to; s++)
                {
                    var max = double.NegativeInfinity;
                    for (var c = 0; c < classes; c++)
                    {
                        logits[c] = bias[c] + TensorPrimitives.Dot(weights[c], x[s]);
                        max = Math.Max(max, logits[c]);
                    }

                    var sum = 0.0;
                    for (var c = 0; c < classes; c++)
                    {
                        logits[c] = Math.Exp(logits[c] - max);
                        sum += logits[c];
                    }

                    loss -= Math.Log(Math.Max(logits[labels[s]] / sum, 1e-12));
                    for (var c = 0; c < classes; c++)
                    {
                        var error = (logits[c] / sum) - (c == labels[s] ? 1 : 0);
                        TensorPrimitives.MultiplyAdd(x[s], (float)error, gradient[c], gradient[c]);
                        biasGradient[c] += error;
                    }
                }

                partials[chunk] = (gradient, biasGradient, loss);
            });

            var totalLoss = partials.Sum(p => p.Loss) / n;
            for (var c = 0; c < classes; c++)
            {
                for (var f = 0; f <= dims; f++)
                {
                    double g = 0;
                    foreach (var p in partials)
                    {
                        g += f < dims ? p.Gradient[c][f] : p.BiasGradient[c];
                    }

                    g /= n;
                    if (f < dims)
                    {
                        g += l2 * weights[c][f];
                        totalLoss += 0.5 * l2 * weights[c][f] * weights[c][f];
                    }

                    m[c][f] = (beta1 * m[c][f]) + ((1 - beta1) * g);
                    v[c][f] = (beta2 * v[c][f]) + ((1 - beta2) * g * g);
                    var mHat = m[c][f] / (1 - Math.Pow(beta1, step));
                    var vHat = v[c][f] / (1 - Math.Pow(beta2, step));
                    var delta = (float)(learningRate * mHat / (Math.Sqrt(vHat) + epsilon));
                    if (f < dims)
                    {
                        weights[c][f] -= delta;
                    }
                    else
                    {
                        bias[c] -= delta;
                    }
                }
            }

            progress?.Invoke(step, totalLoss);
        }

        return new EmotionHead(mean, scale, weights, bias);
    }

    /// <summary>Per-feature mean and standard deviation (a constant feature gets scale 1, so it stays harmless).</summary>
    public static (float[] Mean, float[] Scale) Standardisation(IReadOnlyList<float[]> features)
    {
        var dims = features[0].Length;
        var sum = new double[dims];
        var squares = new double[dims];
        foreach (var sample in features)
        {
            for (var f = 0; f < dims; f++)
            {
                sum[f] += sample[f];
                squares[f] += (double)sample[f] * sample[f];
            }
        }

        var mean = new float[dims];
        var scale = new float[dims];
        for (var f = 0; f < dims; f++)
        {
            var mu = sum[f] / features.Count;
            var variance = Math.Max((squares[f] / features.Count) - (mu * mu), 0);
            mean[f] = (float)mu;
            scale[f] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }

        return (mean, scale);
    }

    /// <summary>
    /// Splits sample indices into fitting and validation sets with the same class proportions: each class's indices
    /// are shuffled with <paramref name="seed"/> and the first <paramref name="validationFraction"/> of them held out.
    /// </summary>
    public static (int[] Fit, int[] Validation) StratifiedSplit(IReadOnlyList<int> labels, double validationFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(validationFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(validationFraction, 1);
        var random = new Random(seed);
        var fit = new List<int>();
        var validation = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var indices = group.ToArray();
            random.Shuffle(indices);
            var held = (int)Math.Round(indices.Length * validationFraction);
            validation.AddRange(indices.Take(held));
            fit.AddRange(indices.Skip(held));
        }

        fit.Sort();
        validation.Sort();
        return ([.. fit], [.. validation]);
    }
}
