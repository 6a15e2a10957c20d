using MoodGrains.Vision.Classification;
using OpenCvSharp;

namespace MoodGrains.Vision.Tests;

/// <summary>Our own CNN's runtime side, on a tiny generated ONNX of the exported shape (no trained weights needed).</summary>
public sealed class CnnModelTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("moodgrains-cnn-test-");
    private readonly float[][] _weights;
    private readonly float[] _bias = [0.1f, -0.2f, 0.3f, 0f, 0.05f, -0.1f, 0.2f];

    public CnnModelTests()
    {
        // Each class looks at a different, left-right asymmetric part of the face, so a mirror changes the answer.
        var random = new Random(7);
        _weights = [.. Enumerable.Range(0, TinyOnnx.Classes).Select(_ => Enumerable.Range(0, CnnNet.Size * CnnNet.Size).Select(_ => (float)(random.NextDouble() - 0.5) * 0.02f).ToArray())];
        CnnPath = Path.Combine(_folder.FullName, "moodgrains-cnn.onnx");
        TinyOnnx.WriteLinear(CnnPath, _weights, _bias);
    }

    private string CnnPath { get; }

    [Fact]
    public void A_face_is_read_exactly_as_the_trainer_read_fer2013()
    {
        // A gray face of another size (FER-2013's files are gray), saved and read back the two ways: as eval fer and
        // the server decode an image (colour), and as the trainer read its images (OpenCV grayscale, area-resized to
        // 48x48, (g/255 - 0.5) * 2).
        using var colour = RandomFace(90, 90, seed: 3);
        using var face = colour.CvtColor(ColorConversionCodes.BGR2GRAY);
        var file = Path.Combine(_folder.FullName, "face.png");
        Cv2.ImWrite(file, face);
        using var asTrainerRead = Cv2.ImRead(file, ImreadModes.Grayscale);
        using var resized = asTrainerRead.Resize(new Size(CnnNet.Size, CnnNet.Size), interpolation: InterpolationFlags.Area);
        var expected = Softmax(Logits(Pixels(resized, mirror: false)));

        using var net = new CnnNet(CnnPath, 1);
        using var decoded = Cv2.ImRead(file, ImreadModes.Color);
        var actual = net.Predict([decoded], flip: false)[0];

        AssertClose(expected, actual);
    }

    [Fact]
    public void A_48x48_gray_crop_is_scaled_to_minus_one_to_one_without_resampling()
    {
        using var colour = RandomFace(CnnNet.Size, CnnNet.Size, seed: 1);
        using var face = colour.CvtColor(ColorConversionCodes.BGR2GRAY);
        var pixels = new float[CnnNet.Size * CnnNet.Size];
        for (var y = 0; y < CnnNet.Size; y++)
        {
            for (var x = 0; x < CnnNet.Size; x++)
            {
                pixels[(y * CnnNet.Size) + x] = ((face.At<byte>(y, x) / 255f) - 0.5f) * 2f;
            }
        }

        using var net = new CnnNet(CnnPath, 1);

        AssertClose(Softmax(Logits(pixels)), net.Predict([face], flip: false)[0]);
        Assert.Equal(-1f, CnnNet.Scale(0));
        Assert.Equal(1f, CnnNet.Scale(255));
    }

    [Fact]
    public void Mirror_averaging_averages_the_face_and_its_mirror_image()
    {
        using var face = RandomFace(CnnNet.Size, CnnNet.Size, seed: 5);
        using var gray = face.CvtColor(ColorConversionCodes.BGR2GRAY);
        var plain = Softmax(Logits(Pixels(gray, mirror: false)));
        var mirrored = Softmax(Logits(Pixels(gray, mirror: true)));
        using var model = new CnnEmotionModel(new CnnNet(CnnPath, 1), flip: true, multiCrop: false);

        var actual = model.Predict([face, face]);

        Assert.NotEqual(plain, mirrored);
        AssertClose(FaceViews.Average(plain, mirrored), actual[0]);
        AssertClose(actual[0], actual[1]);
    }

    [Fact]
    public void Five_crops_average_the_sub_crops_and_their_mirrors()
    {
        using var face = RandomFace(60, 60, seed: 9);
        using var net = new CnnNet(CnnPath, 1);
        var side = 55; // round(60 * 11 / 12)
        var expected = new float[TinyOnnx.Classes];
        foreach (var (x, y) in new[] { (0, 0), (5, 0), (0, 5), (5, 5), (2, 2) })
        {
            using var crop = new Mat(face, new Rect(x, y, side, side));
            var p = net.Predict([crop], flip: true)[0];
            for (var k = 0; k < expected.Length; k++)
            {
                expected[k] += p[k] / 5;
            }
        }

        using var model = new CnnEmotionModel(new CnnNet(CnnPath, 1), flip: true, multiCrop: true);

        AssertClose(expected, model.Predict([face])[0]);
    }

    [Fact]
    public void A_model_of_another_shape_is_refused_with_its_path()
    {
        var xception = Path.Combine(VisionFixture.ModelDirectory, "emotion-xception.onnx");

        var error = Assert.Throws<InvalidDataException>(() => new CnnNet(xception, 1));

        Assert.Contains("emotion-xception.onnx", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EmotionModelKind.Cnn, typeof(CnnEmotionModel))]
    [InlineData(EmotionModelKind.CnnAndXception, typeof(ProductOfExpertsModel))]
    [InlineData(EmotionModelKind.CnnAndHead, typeof(ProductOfExpertsModel))]
    [InlineData(EmotionModelKind.CnnXceptionAndHead, typeof(ProductOfExpertsModel))]
    public void The_factory_builds_the_cnn_kinds_and_they_give_probabilities(EmotionModelKind kind, Type expected)
    {
        var options = VisionFixture.DefaultOptions();
        options.EmotionModel = kind;
        options.CnnFile = CnnPath;
        (options.MultiCrop, options.CnnCount) = (false, 1);
        Assert.Empty(options.Validate());
        using var face = RandomFace(64, 64, seed: 11);

        using var model = EmotionModelFactory.Create(options);
        var result = model.Predict([face])[0];

        Assert.IsType(expected, model);
        Assert.Equal(1f, result.Sum(), 4);
    }

    [Fact]
    public void The_cnn_and_xception_combination_is_the_geometric_mean_of_both()
    {
        var options = VisionFixture.DefaultOptions();
        (options.EmotionModel, options.CnnFile, options.FlipAveraging, options.MultiCrop, options.CnnCount) = (EmotionModelKind.CnnAndXception, CnnPath, true, false, 1);
        using var face = RandomFace(64, 64, seed: 13);
        using var cnn = new CnnNet(CnnPath, 1);
        using var xception = EmotionModelFactory.Xception(options);
        var expected = ProductOfExperts.Combine(cnn.Predict([face], flip: true)[0], xception.Predict([face], flip: true)[0]);

        using var model = EmotionModelFactory.Create(options);

        AssertClose(expected, model.Predict([face])[0]);
    }

    [Fact]
    public void A_missing_cnn_file_is_reported_by_its_setting()
    {
        var options = VisionFixture.DefaultOptions();
        options.EmotionModel = EmotionModelKind.CnnAndXception;
        options.CnnFile = "no-such-cnn.onnx";

        Assert.Contains(options.Validate(), e => e.Contains("MoodGrains:Vision:CnnFile", StringComparison.Ordinal) && e.Contains("no-such-cnn.onnx", StringComparison.Ordinal));
        options.EmotionModel = EmotionModelKind.Xception;
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Each_further_cnn_is_one_more_equal_expert_wherever_the_cnn_runs()
    {
        var random = new Random(8);
        string Nearby(string name)
        {
            var path = Path.Combine(_folder.FullName, name);
            TinyOnnx.WriteLinear(path, [.. _weights.Select(w => w.Select(x => x + (float)(random.NextDouble() - 0.5) * 0.02f).ToArray())], _bias);
            return path;
        }

        var (secondPath, thirdPath) = (Nearby("moodgrains-cnn-b.onnx"), Nearby("moodgrains-cnn-c.onnx"));
        var options = VisionFixture.DefaultOptions();
        (options.EmotionModel, options.CnnFile, options.CnnCount, options.SecondCnnFile, options.ThirdCnnFile, options.FlipAveraging, options.MultiCrop) =
            (EmotionModelKind.Cnn, CnnPath, 2, secondPath, thirdPath, true, false);
        using var face = RandomFace(64, 64, seed: 17);
        using var first = new CnnNet(CnnPath, 1);
        using var second = new CnnNet(secondPath, 1);
        using var third = new CnnNet(thirdPath, 1);
        using var xception = EmotionModelFactory.Xception(options);
        var a = first.Predict([face], flip: true)[0];
        var b = second.Predict([face], flip: true)[0];
        var c = third.Predict([face], flip: true)[0];
        var x = xception.Predict([face], flip: true)[0];

        using (var both = EmotionModelFactory.Create(options))
        {
            AssertClose(ProductOfExperts.Combine(a, b), both.Predict([face])[0]);
        }

        options.EmotionModel = EmotionModelKind.CnnAndXception;
        using (var three = EmotionModelFactory.Create(options))
        {
            AssertClose(ProductOfExperts.Combine([a, b, x]), three.Predict([face])[0]);
        }

        options.CnnCount = 3;
        using (var four = EmotionModelFactory.Create(options))
        {
            AssertClose(ProductOfExperts.Combine([a, b, c, x]), four.Predict([face])[0]);
        }

        // With one CNN, the further files are neither loaded nor required.
        (options.CnnCount, options.SecondCnnFile, options.ThirdCnnFile) = (1, "no-such-second-cnn.onnx", "no-such-third-cnn.onnx");
        Assert.Empty(options.Validate());
        using (var one = EmotionModelFactory.Create(options))
        {
            AssertClose(ProductOfExperts.Combine(a, x), one.Predict([face])[0]);
        }
    }

    [Theory]
    [InlineData(2, "SecondCnnFile")]
    [InlineData(3, "ThirdCnnFile")]
    public void A_missing_further_cnn_file_is_reported_by_its_setting_when_it_is_used(int count, string setting)
    {
        var options = VisionFixture.DefaultOptions();
        (options.EmotionModel, options.CnnFile, options.CnnCount, options.SecondCnnFile, options.ThirdCnnFile) =
            (EmotionModelKind.Cnn, CnnPath, count, "no-such-cnn-b.onnx", "no-such-cnn-c.onnx");

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains($"MoodGrains:Vision:{setting}", StringComparison.Ordinal));
        Assert.Equal(count - 1, errors.Count);
        options.EmotionModel = EmotionModelKind.Xception;
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_cnn_count_outside_one_to_three_is_refused_by_name(int count)
    {
        var options = VisionFixture.DefaultOptions();
        (options.EmotionModel, options.CnnFile, options.CnnCount) = (EmotionModelKind.Cnn, CnnPath, count);

        Assert.Contains(options.Validate(), e => e.Contains("MoodGrains:Vision:CnnCount must be between 1 and 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Three_experts_are_combined_with_equal_weights_and_two_as_before()
    {
        float[] a = [0.7f, 0.05f, 0.05f, 0.05f, 0.05f, 0.05f, 0.05f];
        float[] b = [0.2f, 0.5f, 0.1f, 0.05f, 0.05f, 0.05f, 0.05f];
        float[] c = [0.1f, 0.1f, 0.1f, 0.4f, 0.1f, 0.1f, 0.1f];
        var geometric = a.Select((_, i) => Math.Cbrt((double)a[i] * b[i] * c[i])).ToArray();
        var expected = geometric.Select(g => (float)(g / geometric.Sum())).ToArray();

        AssertClose(expected, ProductOfExperts.Combine([a, b, c]));

        // The two-expert rule the shipped default was measured with: exp(0.5 (log a + log b)), renormalised.
        var two = a.Select((_, i) => Math.Exp(0.5 * (Math.Log(a[i]) + Math.Log(b[i])))).ToArray();
        AssertClose([.. two.Select(t => (float)(t / two.Sum()))], ProductOfExperts.Combine(a, b));
        using var single = new CnnEmotionModel(new CnnNet(CnnPath, 1), false, false);
        Assert.Throws<ArgumentException>(() => new ProductOfExpertsModel(single));
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static Mat RandomFace(int width, int height, int seed)
    {
        var bytes = new byte[width * height * 3];
        new Random(seed).NextBytes(bytes);
        using var noise = Mat.FromPixelData(height, width, MatType.CV_8UC3, bytes);
        var face = new Mat();
        Cv2.GaussianBlur(noise, face, new Size(5, 5), 0);
        return face;
    }

    private static float[] Pixels(Mat gray, bool mirror)
    {
        var pixels = new float[CnnNet.Size * CnnNet.Size];
        for (var y = 0; y < CnnNet.Size; y++)
        {
            for (var x = 0; x < CnnNet.Size; x++)
            {
                var source = mirror ? CnnNet.Size - 1 - x : x;
                pixels[(y * CnnNet.Size) + x] = ((gray.At<byte>(y, source) / 255f) - 0.5f) * 2f;
            }
        }

        return pixels;
    }

    private double[] Logits(float[] pixels) =>
        [.. _weights.Select((w, k) => _bias[k] + w.Select((v, p) => (double)v * pixels[p]).Sum())];

    private static float[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        return [.. exp.Select(e => (float)(e / exp.Sum()))];
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }
}
