using MoodGrains.Training.Vision;
using MoodGrains.Vision.Classification;

namespace MoodGrains.Training.Tests;

public sealed class EnsembleFittingTests
{
    [Fact]
    public void Fitting_learns_to_trust_the_model_that_is_right()
    {
        // Model A always names the true class; model B names a random one. The fit must follow A.
        var random = new Random(7);
        var features = new List<float[]>();
        var labels = new List<int>();
        for (var i = 0; i < 700; i++)
        {
            var label = i % 7;
            var a = OneHot(label, 0.7f);
            var b = OneHot(random.Next(7), 0.7f);
            var f = new float[EnsembleModel.FeatureCount];
            EnsembleModel.Features(a, b, f);
            features.Add(f);
            labels.Add(label);
        }

        var model = SoftmaxRegression.Fit([.. features], [.. labels], iterations: 300);

        var correct = features.Select((f, i) => Array.IndexOf(model.PredictFromFeatures(f), model.PredictFromFeatures(f).Max()) == labels[i]).Count(x => x);
        Assert.Equal(features.Count, correct);
    }

    [Fact]
    public void Saved_weights_load_back_unchanged()
    {
        var weights = Enumerable.Range(0, 7).Select(c => Enumerable.Range(0, 14).Select(f => (c * 0.1f) - (f * 0.01f)).ToArray()).ToArray();
        var model = new EnsembleModel(weights, [1, 2, 3, 4, 5, 6, 7]);
        var path = Path.GetTempFileName();
        try
        {
            model.Save(path, new EnsembleProvenance("test", 1, "none", 0, 0, 0, "x", "y"));
            var loaded = EnsembleModel.Load(path);

            Assert.Equal(model.Bias, loaded.Bias);
            Assert.Equal(model.Weights.SelectMany(w => w), loaded.Weights.SelectMany(w => w));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[] OneHot(int index, float peak)
    {
        var p = Enumerable.Repeat((1 - peak) / 6, 7).ToArray();
        p[index] = peak;
        return p;
    }
}
