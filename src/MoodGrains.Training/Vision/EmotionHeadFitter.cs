using System.Numerics.Tensors;
using MoodGrains.Mood;
using MoodGrains.Vision.Classification;

namespace MoodGrains.Training.Vision;

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
        var x = Standardise(features, mean, scale);
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

    /// <summary>
    /// Fits a head with one hidden layer of <paramref name="hiddenUnits"/> rectified linear units: He-initialised weights,
    /// mini-batches of 256 in a seeded random order, Adam, L2 on the weights, inverted dropout on the hidden units while
    /// fitting. Each mini-batch is split over <paramref name="threads"/>; the result depends only on the seed and the thread count.
    /// </summary>
    public static EmotionHead FitHidden(
        IReadOnlyList<float[]> features,
        IReadOnlyList<int> labels,
        int hiddenUnits,
        double l2,
        int epochs,
        double learningRate = 1e-3,
        double dropout = 0.3,
        int seed = 1,
        int threads = 1,
        Action<int, double>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(features.Count);
        ArgumentOutOfRangeException.ThrowIfNotEqual(labels.Count, features.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenUnits, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(dropout);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dropout, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var dims = features[0].Length;
        var (mean, scale) = Standardisation(features);
        var x = Standardise(features, mean, scale);
        var classes = Emotions.Count;
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        var w1 = Enumerable.Range(0, hiddenUnits).Select(_ => Enumerable.Range(0, dims).Select(_ => (float)(Gaussian() * Math.Sqrt(2.0 / dims))).ToArray()).ToArray();
        var b1 = new float[hiddenUnits];
        var w2 = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, hiddenUnits).Select(_ => (float)(Gaussian() * Math.Sqrt(1.0 / hiddenUnits))).ToArray()).ToArray();
        var b2 = new float[classes];
        // Every parameter in one list of arrays so Adam treats them alike; the biases are not decayed.
        float[][] parameters = [.. w1, b1, .. w2, b2];
        var decayed = parameters.Select(p => p != b1 && p != b2).ToArray();
        var m = parameters.Select(p => new float[p.Length]).ToArray();
        var v = parameters.Select(p => new float[p.Length]).ToArray();
        const int batchSize = 256;
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var order = Enumerable.Range(0, x.Length).ToArray();
        var keep = 1 - dropout;
        var step = 0;
        var workers = Math.Max(1, threads);
        var gradients = Enumerable.Range(0, workers).Select(_ => parameters.Select(p => new float[p.Length]).ToArray()).ToArray();

        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order);
            var epochLoss = 0.0;
            for (var start = 0; start < order.Length; start += batchSize)
            {
                var count = Math.Min(batchSize, order.Length - start);
                var losses = new double[workers];
                // One seed per worker and batch: dropout masks do not depend on thread timing.
                var seeds = Enumerable.Range(0, workers).Select(_ => random.Next()).ToArray();
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
                {
                    var g = gradients[worker];
                    foreach (var array in g)
                    {
                        Array.Clear(array);
                    }

                    var gw1 = g.AsSpan(0, hiddenUnits);
                    var gb1 = g[hiddenUnits];
                    var gw2 = g.AsSpan(hiddenUnits + 1, classes);
                    var gb2 = g[hiddenUnits + 1 + classes];
                    var masks = new Random(seeds[worker]);
                    var hidden = new float[hiddenUnits];
                    var dHidden = new float[hiddenUnits];
                    var logits = new double[classes];
                    var from = start + (count * worker / workers);
                    var to = start + (count * (worker + 1) / workers);
                    for (var i = from; i < to; i++)
                    {
                        var sample = x[order[i]];
                        var label = labels[order[i]];
                        for (var j = 0; j < hiddenUnits; j++)
                        {
                            var a = b1[j] + TensorPrimitives.Dot(w1[j], sample);
                            hidden[j] = a > 0 && masks.NextDouble() < keep ? (float)(a / keep) : 0f;
                        }

                        var max = double.NegativeInfinity;
                        for (var c = 0; c < classes; c++)
                        {
                            logits[c] = b2[c] + TensorPrimitives.Dot(w2[c], hidden);
                            max = Math.Max(max, logits[c]);
                        }

                        var sum = 0.0;
                        for (var c = 0; c < classes; c++)
                        {
                            logits[c] = Math.Exp(logits[c] - max);
                            sum += logits[c];
                        }

                        losses[worker] -= Math.Log(Math.Max(logits[label] / sum, 1e-12));
                        Array.Clear(dHidden);
                        for (var c = 0; c < classes; c++)
                        {
                            var error = (float)((logits[c] / sum) - (c == label ? 1 : 0));
                            TensorPrimitives.MultiplyAdd(hidden, error, gw2[c], gw2[c]);
                            gb2[c] += error;
                            TensorPrimitives.MultiplyAdd(w2[c], error, dHidden, dHidden);
                        }

                        for (var j = 0; j < hiddenUnits; j++)
                        {
                            // Units that were off (negative or dropped) pass no gradient back.
                            if (hidden[j] > 0)
                            {
                                var d = (float)(dHidden[j] / keep);
                                TensorPrimitives.MultiplyAdd(sample, d, gw1[j], gw1[j]);
                                gb1[j] += d;
                            }
                        }
                    }
                });

                epochLoss += losses.Sum();
                step++;
                var correction1 = 1 - Math.Pow(beta1, step);
                var correction2 = 1 - Math.Pow(beta2, step);
                Parallel.For(0, parameters.Length, new ParallelOptions { MaxDegreeOfParallelism = workers }, p =>
                {
                    var param = parameters[p];
                    var mp = m[p];
                    var vp = v[p];
                    for (var k = 0; k < param.Length; k++)
                    {
                        double g = 0;
                        for (var worker = 0; worker < workers; worker++)
                        {
                            g += gradients[worker][p][k];
                        }

                        g /= count;
                        if (decayed[p])
                        {
                            g += l2 * param[k];
                        }

                        mp[k] = (float)((beta1 * mp[k]) + ((1 - beta1) * g));
                        vp[k] = (float)((beta2 * vp[k]) + ((1 - beta2) * g * g));
                        param[k] -= (float)(learningRate * (mp[k] / correction1) / (Math.Sqrt(vp[k] / correction2) + epsilon));
                    }
                });
            }

            progress?.Invoke(epoch, epochLoss / x.Length);
        }

        return new EmotionHead(mean, scale, w2, b2, w1, b1);
    }

    private static float[][] Standardise(IReadOnlyList<float[]> features, float[] mean, float[] scale)
    {
        var dims = mean.Length;
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

        return x;
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
