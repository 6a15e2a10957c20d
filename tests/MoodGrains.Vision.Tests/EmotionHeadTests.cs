using MoodGrains.Mood;
using MoodGrains.Testing;
using MoodGrains.Training.Vision;
using MoodGrains.Vision.Classification;
using OpenCvSharp;
using Xunit.Abstractions;

namespace MoodGrains.Vision.Tests;

/// <summary>The FER head over face-api's backbone features, its fitting, and the fixed rule combining it with mini-Xception.</summary>
public sealed class EmotionHeadTests(ITestOutputHelper output)
{
    private static string ShippedHead => Path.Combine(VisionFixture.ModelDirectory, "emotion-head.json");

    [Fact]
    public void The_shipped_head_reads_the_256_features_the_face_api_model_outputs()
    {
        var head = EmotionHead.Load(ShippedHead);
        using var model = new Imaging.OnnxModel(Path.Combine(VisionFixture.ModelDirectory, "face-expression.onnx"), 1);

        Assert.Equal(2, model.OutputShapes.Count);
        Assert.Equal(7, model.OutputShapes[0][^1]);
        Assert.Equal(256, model.OutputShapes[1][^1]);
        Assert.Equal(256, head.FeatureCount);
    }

    [Fact]
    public void A_missing_head_file_is_named_by_validation_and_by_loading()
    {
        var options = VisionFixture.DefaultOptions();
        options.EmotionModel = EmotionModelKind.XceptionAndHead;
        options.HeadFile = "no-such-head.json";

        var error = Assert.Single(options.Validate());
        Assert.Contains("HeadFile", error, StringComparison.Ordinal);
        Assert.Contains("no-such-head.json", error, StringComparison.Ordinal);
        var thrown = Assert.Throws<FileNotFoundException>(() => EmotionHead.Load(options.ResolvePath(options.HeadFile)));
        Assert.Contains("no-such-head.json", thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"mean\": [0, 0], \"scale\": [1, 1], \"bias\": [0, 0, 0, 0, 0, 0, 0]}")]
    [InlineData("{\"mean\": [0], \"scale\": [0], \"weights\": [[1], [1], [1], [1], [1], [1], [1]], \"bias\": [0, 0, 0, 0, 0, 0, 0]}")]
    [InlineData("{\"mean\": [0, 0], \"scale\": [1, 1], \"weights\": [[1, 2], [1], [1], [1], [1], [1], [1]], \"bias\": [0, 0, 0, 0, 0, 0, 0]}")]
    [InlineData("{\"labels\": [\"a\"], \"mean\": [0], \"scale\": [1], \"weights\": [[1], [1], [1], [1], [1], [1], [1]], \"bias\": [0, 0, 0, 0, 0, 0, 0]}")]
    public void A_bad_head_file_is_refused_with_its_name(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-head-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => EmotionHead.Load(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_head_that_does_not_match_the_face_api_features_is_refused_at_start()
    {
        var dir = Directory.CreateTempSubdirectory("moodgrains-head-");
        try
        {
            var head = new EmotionHead([0, 0, 0], [1, 1, 1], [.. Enumerable.Range(0, 7).Select(_ => new float[3])], new float[7]);
            head.Save(Path.Combine(dir.FullName, "emotion-head.json"), Provenance());
            var options = VisionFixture.DefaultOptions();
            options.EmotionModel = EmotionModelKind.FaceApiHead;
            options.HeadFile = Path.Combine(dir.FullName, "emotion-head.json");

            var error = Assert.Throws<InvalidDataException>(() => EmotionClassifier.Create(options));
            Assert.Contains("3 features", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Saved_heads_load_back_unchanged()
    {
        var random = new Random(3);
        float[] Random(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble())];
        var head = new EmotionHead(Random(5), [.. Random(5).Select(s => s + 0.5f)], [.. Enumerable.Range(0, 7).Select(_ => Random(5))], Random(7));
        var path = Path.GetTempFileName();
        try
        {
            head.Save(path, Provenance());
            var loaded = EmotionHead.Load(path);

            Assert.Equal(head.Mean, loaded.Mean);
            Assert.Equal(head.Scale, loaded.Scale);
            Assert.Equal(head.Weights.SelectMany(w => w), loaded.Weights.SelectMany(w => w));
            Assert.Equal(head.Bias, loaded.Bias);
            var input = Random(5);
            Assert.Equal(head.Predict(input), loaded.Predict(input));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fitting_separates_classes_that_differ_in_a_few_features_among_noise()
    {
        // Class c lifts feature c (and shifts feature 10 by c); the other 20 features are noise on very different scales,
        // which standardisation must absorb.
        var random = new Random(11);
        var features = new List<float[]>();
        var labels = new List<int>();
        for (var i = 0; i < 1400; i++)
        {
            var label = i % 7;
            var x = new float[30];
            for (var f = 0; f < x.Length; f++)
            {
                x[f] = (float)(random.NextDouble() * (f < 10 ? 0.5 : 1000));
            }

            x[label] += 1f;
            x[10] += 300 * label;
            features.Add(x);
            labels.Add(label);
        }

        var (fit, validation) = EmotionHeadFitter.StratifiedSplit(labels, 0.2, seed: 5);
        var head = EmotionHeadFitter.Fit([.. fit.Select(i => features[i])], [.. fit.Select(i => labels[i])], l2: 1e-3, iterations: 300, threads: 2);

        var correct = validation.Count(i => ArgMax(head.Predict(features[i])) == labels[i]);
        output.WriteLine($"{correct}/{validation.Length} held-out samples");
        Assert.True(correct >= 0.95 * validation.Length, $"{correct} of {validation.Length}");
        Assert.All(validation.Select(i => head.Predict(features[i])), p =>
        {
            Assert.All(p, v => Assert.InRange(v, 0f, 1f));
            Assert.Equal(1f, p.Sum(), 4);
        });
    }

    [Fact]
    public void A_hidden_layer_learns_classes_no_linear_boundary_separates_and_survives_saving()
    {
        // The class is the ring a point falls in around the origin: no hyperplane separates rings, a hidden layer can.
        var random = new Random(17);
        var features = new List<float[]>();
        var labels = new List<int>();
        while (features.Count < 2800)
        {
            var (a, b) = ((float)((random.NextDouble() * 2) - 1), (float)((random.NextDouble() * 2) - 1));
            var ring = (int)(MathF.Sqrt((a * a) + (b * b)) * 7);
            if (ring < 7)
            {
                features.Add([a, b, (float)random.NextDouble()]);
                labels.Add(ring);
            }
        }

        var (fit, validation) = EmotionHeadFitter.StratifiedSplit(labels, 0.2, seed: 2);
        var x = fit.Select(i => features[i]).ToList();
        var y = fit.Select(i => labels[i]).ToList();
        var hidden = EmotionHeadFitter.FitHidden(x, y, hiddenUnits: 64, l2: 1e-5, epochs: 150, learningRate: 0.01, dropout: 0, seed: 4, threads: 2);
        var linear = EmotionHeadFitter.Fit(x, y, l2: 1e-5, iterations: 300, threads: 2);

        double Accuracy(EmotionHead head) => validation.Count(i => ArgMax(head.Predict(features[i])) == labels[i]) / (double)validation.Length;
        output.WriteLine($"hidden layer {Accuracy(hidden):P1}, linear {Accuracy(linear):P1}");
        Assert.True(Accuracy(hidden) >= 0.8, $"hidden layer: {Accuracy(hidden):P1}");
        Assert.True(Accuracy(hidden) > Accuracy(linear) + 0.2, $"hidden {Accuracy(hidden):P1}, linear {Accuracy(linear):P1}");

        var path = Path.GetTempFileName();
        try
        {
            hidden.Save(path, Provenance());
            var loaded = EmotionHead.Load(path);
            Assert.Equal(64, loaded.HiddenUnits);
            Assert.All(validation.Take(20), i => Assert.Equal(hidden.Predict(features[i]), loaded.Predict(features[i])));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_stratified_split_is_disjoint_complete_proportional_and_repeatable()
    {
        int[] labels = [.. Enumerable.Range(0, 1000).Select(i => i % 10 < 7 ? 3 : i % 10 < 9 ? 6 : 1)];

        var (fit, validation) = EmotionHeadFitter.StratifiedSplit(labels, 0.15, seed: 9);
        var again = EmotionHeadFitter.StratifiedSplit(labels, 0.15, seed: 9);

        Assert.Empty(fit.Intersect(validation));
        Assert.Equal(Enumerable.Range(0, 1000), fit.Concat(validation).Order());
        Assert.Equal(fit, again.Fit);
        Assert.Equal(105, validation.Count(i => labels[i] == 3)); // 15 % of 700
        Assert.Equal(30, validation.Count(i => labels[i] == 6));
        Assert.Equal(15, validation.Count(i => labels[i] == 1));
        Assert.NotEqual(validation, EmotionHeadFitter.StratifiedSplit(labels, 0.15, seed: 10).Validation);
    }

    [Fact]
    public void The_product_of_experts_is_the_normalised_geometric_mean()
    {
        float[] a = [0.5f, 0.3f, 0.1f, 0.05f, 0.03f, 0.01f, 0.01f];
        float[] b = [0.2f, 0.6f, 0.1f, 0.05f, 0.03f, 0.01f, 0.01f];

        var p = ProductOfExperts.Combine(a, b);

        var geometric = a.Zip(b, (x, y) => MathF.Sqrt(x * y)).ToArray();
        for (var i = 0; i < p.Length; i++)
        {
            Assert.Equal(geometric[i] / geometric.Sum(), p[i], 5);
        }

        Assert.Equal(1f, p.Sum(), 5);
        Assert.Equal(p, ProductOfExperts.Combine(b, a)); // equal weights: neither model is preferred
        Assert.Equal(1, Array.IndexOf(p, p.Max())); // sqrt(0.18) beats sqrt(0.10)
    }

    [Fact]
    public void One_confident_expert_vetoes_a_class_the_arithmetic_mean_would_pick()
    {
        // A is sure of class 0; B all but rules class 0 out. The mean (0.45 for class 0) would keep A's choice.
        float[] a = [0.9f, 0.098f, 0.0004f, 0.0004f, 0.0004f, 0.0004f, 0.0004f];
        float[] b = [0.001f, 0.5f, 0.499f, 0, 0, 0, 0];
        var mean = a.Zip(b, (x, y) => x + y).ToArray();

        var p = ProductOfExperts.Combine(a, b);

        Assert.Equal(0, Array.IndexOf(mean, mean.Max()));
        Assert.Equal(1, Array.IndexOf(p, p.Max()));
        Assert.All(p, v => Assert.True(float.IsFinite(v) && v >= 0));
        Assert.Equal(1f, p.Sum(), 5);
        Assert.Throws<ArgumentException>(() => ProductOfExperts.Combine(a, b.AsSpan(0, 6)));
    }

    [SharedDataTheory]
    [InlineData(EmotionModelKind.FaceApiHead)]
    [InlineData(EmotionModelKind.XceptionAndHead)]
    public void The_head_configurations_give_valid_probabilities_and_read_happy_faces(EmotionModelKind kind)
    {
        var options = VisionFixture.DefaultOptions();
        options.EmotionModel = kind;
        Assert.Empty(options.Validate());
        using var classifier = EmotionClassifier.Create(options);
        var folder = SharedData.PathOf(Path.Combine("fer2013-publictest", "happy"))!;
        var faces = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Take(40).Select(f => Cv2.ImRead(f, ImreadModes.Color)).ToList();
        try
        {
            var scores = classifier.Classify(faces);

            Assert.Equal(faces.Count, scores.Length);
            Assert.All(scores, s =>
            {
                Assert.All(s.Probabilities, v => Assert.InRange(v, 0f, 1f));
                Assert.Equal(1f, s.Probabilities.Sum(), 3);
            });
            var hits = scores.Count(s => s.Dominant == Emotion.Happy);
            output.WriteLine($"{kind}: {hits}/{faces.Count} happy");
            // Both read happy faces far above this floor; a feature/label mix-up falls towards chance.
            Assert.True(hits >= 0.7 * faces.Count, $"{hits} of {faces.Count} happy faces read as happy");
        }
        finally
        {
            faces.ForEach(f => f.Dispose());
        }
    }

    private static EmotionHeadProvenance Provenance() =>
        new("test", 1, "none", "none", 0, 0, 0, 1, 0.05, 0.15, 1, new Dictionary<string, double>(), 0, 0, "x");

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}
