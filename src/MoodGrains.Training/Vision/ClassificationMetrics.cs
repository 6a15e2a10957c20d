using MoodGrains.Mood;

namespace MoodGrains.Training.Vision;

/// <summary>Accuracy, macro-F1, per-class recall and precision and the confusion matrix of one model on a labelled set.</summary>
public sealed record ClassificationMetrics(double Accuracy, double MacroF1, double[] Recall, double[] Precision, int[][] Confusion)
{
    /// <summary>The index of the largest value (the first on ties): a model's predicted class.</summary>
    public static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>A prediction of -1 (an image that failed) counts as wrong for its true class.</summary>
    public static ClassificationMetrics Compute(int[] truth, int[] predicted)
    {
        var k = Emotions.Count;
        var confusion = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
        var correct = 0;
        var support = new int[k];
        for (var i = 0; i < truth.Length; i++)
        {
            support[truth[i]]++;
            if (predicted[i] >= 0)
            {
                confusion[truth[i]][predicted[i]]++;
            }

            if (predicted[i] == truth[i])
            {
                correct++;
            }
        }

        var recall = new double[k];
        var precision = new double[k];
        var f1 = new double[k];
        for (var c = 0; c < k; c++)
        {
            var predictedC = confusion.Sum(row => row[c]);
            recall[c] = support[c] == 0 ? 0 : (double)confusion[c][c] / support[c];
            precision[c] = predictedC == 0 ? 0 : (double)confusion[c][c] / predictedC;
            f1[c] = recall[c] + precision[c] == 0 ? 0 : 2 * recall[c] * precision[c] / (recall[c] + precision[c]);
        }

        var present = Enumerable.Range(0, k).Where(c => support[c] > 0).ToList();
        return new ClassificationMetrics((double)correct / truth.Length, present.Average(c => f1[c]), recall, precision, confusion);
    }

    public void Print(TextWriter writer)
    {
        writer.WriteLine($"accuracy: {Accuracy:P2}   macro-F1: {MacroF1:F4}");
        writer.WriteLine($"{"class",-10} {"recall",8} {"precision",9}");
        for (var c = 0; c < Emotions.Count; c++)
        {
            writer.WriteLine($"{Emotions.Names[c],-10} {Recall[c],8:P1} {Precision[c],9:P1}");
        }

        writer.WriteLine("confusion (rows: true, columns: predicted)");
        writer.WriteLine("          " + string.Concat(Emotions.Names.Select(n => $"{n[..Math.Min(7, n.Length)],8}")));
        for (var c = 0; c < Emotions.Count; c++)
        {
            writer.WriteLine($"{Emotions.Names[c],-10}" + string.Concat(Confusion[c].Select(v => $"{v,8}")));
        }
    }
}
