using MoodGrains.Mood;
using MoodGrains.Vision.Classification;

namespace MoodGrains.Training.Vision;

/// <summary>Fits the ensemble's multinomial logistic regression: full-batch gradient descent with Adam and an L2 penalty.</summary>
public static class SoftmaxRegression
{
    /// <param name="features">[sample][feature]</param>
    /// <param name="labels">canonical emotion index per sample</param>
    public static EnsembleModel Fit(float[][] features, int[] labels, double l2 = 1e-4, int iterations = 1500, double learningRate = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfZero(features.Length);
        var classes = Emotions.Count;
        var dims = EnsembleModel.FeatureCount;
        var n = features.Length;
        // Parameters per class: dims weights then the bias.
        var theta = new double[classes, dims + 1];
        var m = new double[classes, dims + 1];
        var v = new double[classes, dims + 1];
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;

        // Start from "trust each model equally": weight 0.5 on each model's own log probability of the class.
        for (var c = 0; c < classes; c++)
        {
            theta[c, c] = 0.5;
            theta[c, Emotions.Count + c] = 0.5;
        }

        var logits = new double[classes];
        for (var step = 1; step <= iterations; step++)
        {
            var gradient = new double[classes, dims + 1];
            for (var s = 0; s < n; s++)
            {
                var x = features[s];
                var max = double.NegativeInfinity;
                for (var c = 0; c < classes; c++)
                {
                    var z = theta[c, dims];
                    for (var f = 0; f < dims; f++)
                    {
                        z += theta[c, f] * x[f];
                    }

                    logits[c] = z;
                    max = Math.Max(max, z);
                }

                var sum = 0.0;
                for (var c = 0; c < classes; c++)
                {
                    logits[c] = Math.Exp(logits[c] - max);
                    sum += logits[c];
                }

                for (var c = 0; c < classes; c++)
                {
                    var error = (logits[c] / sum) - (c == labels[s] ? 1 : 0);
                    for (var f = 0; f < dims; f++)
                    {
                        gradient[c, f] += error * x[f];
                    }

                    gradient[c, dims] += error;
                }
            }

            for (var c = 0; c < classes; c++)
            {
                for (var f = 0; f <= dims; f++)
                {
                    var g = (gradient[c, f] / n) + (f < dims ? l2 * theta[c, f] : 0);
                    m[c, f] = (beta1 * m[c, f]) + ((1 - beta1) * g);
                    v[c, f] = (beta2 * v[c, f]) + ((1 - beta2) * g * g);
                    var mHat = m[c, f] / (1 - Math.Pow(beta1, step));
                    var vHat = v[c, f] / (1 - Math.Pow(beta2, step));
                    theta[c, f] -= learningRate * mHat / (Math.Sqrt(vHat) + epsilon);
                }
            }
        }

        var weights = new float[classes][];
        var bias = new float[classes];
        for (var c = 0; c < classes; c++)
        {
            weights[c] = new float[dims];
            for (var f = 0; f < dims; f++)
            {
                weights[c][f] = (float)theta[c, f];
            }

            bias[c] = (float)theta[c, dims];
        }

        return new EnsembleModel(weights, bias);
    }
}
