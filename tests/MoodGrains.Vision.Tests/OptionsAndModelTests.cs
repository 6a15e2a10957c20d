using MoodGrains.Vision.Classification;
using MoodGrains.Vision.Detection;

namespace MoodGrains.Vision.Tests;

public sealed class OptionsAndModelTests
{
    [Fact]
    public void The_shipped_defaults_are_valid_against_the_repository_models()
    {
        Assert.Empty(VisionFixture.DefaultOptions().Validate());
    }

    [Fact]
    public void Validation_names_each_bad_setting()
    {
        var options = VisionFixture.DefaultOptions();
        options.MaxFaces = 0;
        options.MaxPayloadBytes = -1;
        options.FaceCropScale = 0.5f;

        var errors = options.Validate();

        Assert.Contains(errors, e => e.StartsWith("MoodGrains:Vision:MaxFaces ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MoodGrains:Vision:MaxPayloadBytes ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MoodGrains:Vision:FaceCropScale ", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => new FrameAnalyzer(options));
    }

    [Fact]
    public void A_missing_model_file_is_named_in_the_error()
    {
        var options = VisionFixture.DefaultOptions();
        options.XceptionFile = "no-such-model.onnx";

        var error = Assert.Single(options.Validate());

        Assert.Contains("no-such-model.onnx", error, StringComparison.Ordinal);
        Assert.StartsWith("MoodGrains:Vision:XceptionFile ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_section_is_the_servers_real_key()
    {
        Assert.Equal("MoodGrains:Vision", VisionOptions.Section);
    }

    [Fact]
    public void The_library_defaults_are_the_documented_offline_most_accurate_configuration()
    {
        // The offline setting of docs/vision.md (the next rule): 256x256 BlazeFace, run 5's and run 2's CNNs ten-crop x mini-Xception x the face-api head.
        var options = new VisionOptions();

        Assert.Equal(("models", FaceDetectorKind.BlazeFace, "blazeface.onnx"), (options.ModelDirectory, options.Detector, options.BlazeFaceFile));
        Assert.Equal((EmotionModelKind.CnnXceptionAndHead, true, true, 2), (options.EmotionModel, options.FlipAveraging, options.MultiCrop, options.CnnCount));
        Assert.Equal(["moodgrains-cnn-c.onnx", "moodgrains-cnn-b.onnx"], options.CnnFiles());
        Assert.Equal(["moodgrains-cnn.onnx", "moodgrains-cnn-b.onnx", "moodgrains-cnn-c.onnx"], VisionOptions.ShippedCnnFiles);
        Assert.Equal((512 * 1024, 8, 0.6f), (options.MaxPayloadBytes, options.MaxFaces, options.MinDetectionScore));
    }

    [Fact]
    public void The_server_live_setting_differs_from_the_library_defaults_only_where_appsettings_says_so()
    {
        var live = VisionFixture.ServerLiveOptions();

        Assert.Equal(("blazeface-front.onnx", 0.75f, EmotionModelKind.Cnn, true, false, 1),
            (live.BlazeFaceFile, live.MinDetectionScore, live.EmotionModel, live.FlipAveraging, live.MultiCrop, live.CnnCount));
        // Live frames up to 1080p: the page sends 320x240, and larger ones only cost decode time.
        Assert.Equal(1920L * 1080, live.MaxPixels);
        Assert.Empty(live.Validate());
    }

    [Theory]
    [InlineData("emotion-xception.onnx", 64, 1)]
    [InlineData("face-expression.onnx", 112, 3)]
    [InlineData("blazeface-front.onnx", 128, 3)]
    [InlineData("blazeface.onnx", 256, 3)]
    [InlineData("moodgrains-cnn.onnx", 48, 1)]
    [InlineData("moodgrains-cnn-b.onnx", 48, 1)]
    [InlineData("moodgrains-cnn-c.onnx", 48, 1)]
    public void Each_model_loads_with_its_documented_input(string file, int size, int channels)
    {
        using var model = new Imaging.OnnxModel(Path.Combine(VisionFixture.ModelDirectory, file), 1);

        Assert.Equal(channels, model.InputShape[1]);
        Assert.Equal(size, model.InputShape[2]);
        Assert.Equal(size, model.InputShape[3]);
    }

    [Theory]
    [InlineData("moodgrains-cnn.onnx")]
    [InlineData("moodgrains-cnn-b.onnx")]
    [InlineData("moodgrains-cnn-c.onnx")]
    public void Our_cnns_carry_their_training_provenance_and_the_hash_models_readme_gives(string file)
    {
        var path = Path.Combine(VisionFixture.ModelDirectory, file);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        var metadata = session.ModelMetadata.CustomMetadataMap;

        Assert.StartsWith("moodgrains train emotion --data ", metadata["command"], StringComparison.Ordinal);
        Assert.Equal("fer2013-train", metadata["trained_on"]);
        Assert.True(int.TryParse(metadata["seed"], out _) && int.TryParse(metadata["epoch"], out _), "seed and epoch are recorded");
        using var stream = File.OpenRead(path);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        Assert.Contains($"{sha}  {file}", File.ReadAllText(Path.Combine(VisionFixture.ModelDirectory, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_ensemble_file_loads_with_seven_classes_over_fourteen_features()
    {
        var model = EnsembleModel.Load(Path.Combine(VisionFixture.ModelDirectory, "emotion-ensemble.json"));

        Assert.Equal(7, model.Weights.Length);
        Assert.All(model.Weights, w => Assert.Equal(14, w.Length));
        var p = model.Predict([0.1f, 0, 0, 0.8f, 0, 0, 0.1f], [0.1f, 0, 0, 0.7f, 0.1f, 0, 0.1f]);
        Assert.Equal(1f, p.Sum(), 3);
        Assert.Equal(3, Array.IndexOf(p, p.Max())); // happy by both models stays happy
    }

    [Fact]
    public void Anchors_follow_the_two_grids()
    {
        var anchors = BlazeFaceDetector.CreateAnchors(128);

        Assert.Equal(896 * 2, anchors.Length);
        Assert.Equal((4f, 4f), (anchors[0], anchors[1]));       // first cell of the 16x16 grid (stride 8)
        Assert.Equal((8f, 8f), (anchors[1024], anchors[1025])); // first cell of the 8x8 grid (stride 16)
    }

    [Fact]
    public void Weighted_suppression_merges_overlapping_boxes_and_keeps_separate_ones()
    {
        var merged = NonMaximumSuppression.Weighted(
        [
            new(new FaceBox(10, 10, 100, 100), 0.9f),
            new(new FaceBox(14, 10, 100, 100), 0.6f),
            new(new FaceBox(300, 10, 100, 100), 0.7f),
        ], 0.3f);

        Assert.Equal(2, merged.Count);
        Assert.Equal(0.9f, merged[0].Score);
        Assert.InRange(merged[0].Box.X, 10.5f, 13.5f);
        Assert.Equal(300f, merged[1].Box.X);
    }
}
