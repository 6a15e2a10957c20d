using System.Text.Json;
using MoodGrains.Cli.Commands;
using MoodGrains.Hosting.Local;
using MoodGrains.Testing;
using MoodGrains.Training.Torch;
using MoodGrains.Training.Vision;
using MoodGrains.Vision;

namespace MoodGrains.Cli.Tests;

public sealed class VisionModelNamesTests
{
    [Fact]
    public void Every_named_configuration_is_described_by_its_own_name()
    {
        foreach (var name in VisionModelNames.Names.Except([VisionModelNames.Default, VisionModelNames.Live]))
        {
            var options = new VisionOptions();

            Assert.True(VisionModelNames.TryApply(name, options), name);
            Assert.Equal(name, VisionModelNames.Describe(options));
        }

        Assert.False(VisionModelNames.TryApply("cnn-sideways", new VisionOptions()));
    }

    [Fact]
    public void A_name_means_the_shipped_slots_and_other_files_are_named_in_the_description()
    {
        var options = new VisionOptions();
        Assert.Equal("cnn2-tencrop+xception+head (moodgrains-cnn-c.onnx + moodgrains-cnn-b.onnx)", VisionModelNames.Describe(options));

        VisionModelNames.TryApply("cnn2-tencrop+xception+head", options);

        Assert.Equal(["moodgrains-cnn.onnx", "moodgrains-cnn-b.onnx"], options.CnnFiles());
        Assert.Equal("cnn2-tencrop+xception+head", VisionModelNames.Describe(options));
        options.CnnFile = "/elsewhere/run-7.onnx";
        Assert.Equal("cnn2-tencrop+xception+head (/elsewhere/run-7.onnx + moodgrains-cnn-b.onnx)", VisionModelNames.Describe(options));
        // Without a CNN in the configuration, its files do not matter.
        VisionModelNames.TryApply("xception-tencrop+head", options);
        options.CnnFile = "/elsewhere/run-7.onnx";
        Assert.Equal("xception-tencrop+head", VisionModelNames.Describe(options));
    }

    [Fact]
    public void The_cnn_names_select_the_cnn_kinds_with_their_augmentation()
    {
        var options = new VisionOptions();

        VisionModelNames.TryApply("cnn-flip+xception", options);
        Assert.Equal((EmotionModelKind.CnnAndXception, true, false), (options.EmotionModel, options.FlipAveraging, options.MultiCrop));
        VisionModelNames.TryApply("cnn-tencrop+xception+head", options);
        Assert.Equal((EmotionModelKind.CnnXceptionAndHead, true, true), (options.EmotionModel, options.FlipAveraging, options.MultiCrop));
        VisionModelNames.TryApply("cnn2-tencrop+xception+head", options);
        Assert.Equal((EmotionModelKind.CnnXceptionAndHead, true, true, 2), (options.EmotionModel, options.FlipAveraging, options.MultiCrop, options.CnnCount));
        VisionModelNames.TryApply("cnn3-flip", options);
        Assert.Equal((EmotionModelKind.Cnn, true, false, 3), (options.EmotionModel, options.FlipAveraging, options.MultiCrop, options.CnnCount));
        VisionModelNames.TryApply("cnn", options);
        Assert.Equal((EmotionModelKind.Cnn, false, false, 1), (options.EmotionModel, options.FlipAveraging, options.MultiCrop, options.CnnCount));
        Assert.False(VisionModelNames.TryApply("cnn2xception", options));
        Assert.False(VisionModelNames.TryApply("cnn4", options));
        Assert.False(VisionModelNames.TryApply("cnn1-flip", options));
    }

    [Fact]
    public void Live_is_the_servers_appsettings_vision_section_over_the_library_defaults()
    {
        var folder = Directory.CreateTempSubdirectory("moodgrains-live-");
        try
        {
            var file = Path.Combine(folder.FullName, "appsettings.json");
            File.WriteAllText(file, """
                {
                  // comments are allowed, as in the server's file
                  "Logging": { "LogLevel": { "Default": "Information" } },
                  "MoodGrains": {
                    "Vision": {
                      "BlazeFaceFile": "blazeface-front.onnx",
                      "EmotionModel": "CnnAndXception",
                      "CnnFile": "our-cnn.onnx",
                      "FlipAveraging": true,
                      "MultiCrop": false,
                      "CnnCount": 1,
                      "MinDetectionScore": 0.8,
                      "MaxPixels": 2073600
                    }
                  }
                }
                """);

            var live = LiveVisionSettings.Load(file, "/somewhere/models");

            Assert.Equal((EmotionModelKind.CnnAndXception, "our-cnn.onnx", true, false), (live.EmotionModel, live.CnnFile, live.FlipAveraging, live.MultiCrop));
            Assert.Equal(("blazeface-front.onnx", 0.8f, 2073600L), (live.BlazeFaceFile, live.MinDetectionScore, live.MaxPixels));
            Assert.Equal("cnn-flip+xception (our-cnn.onnx)", VisionModelNames.Describe(live));
            // Unset keys keep the library defaults; the models are the CLI's copy of what the server copies beside its binaries.
            Assert.Equal((new VisionOptions().MaxFaces, "/somewhere/models"), (live.MaxFaces, live.ModelDirectory));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Live_resolves_to_the_setting_in_the_servers_real_appsettings()
    {
        var file = LiveVisionSettings.Find();
        Assert.Equal(Path.Combine(RepositoryRoot.Path, "src", "MoodGrains.Server", "appsettings.json"), file);
        using var json = JsonDocument.Parse(File.ReadAllText(file!), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var section = json.RootElement.GetProperty("MoodGrains").GetProperty("Vision");

        var live = LiveVisionSettings.Load(file!, Path.Combine(RepositoryRoot.Path, "models"));

        Assert.Equal(Enum.Parse<EmotionModelKind>(section.GetProperty("EmotionModel").GetString()!, ignoreCase: true), live.EmotionModel);
        foreach (var property in section.EnumerateObject())
        {
            var bound = typeof(VisionOptions).GetProperty(property.Name)!.GetValue(live);
            Assert.Equal(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText(),
                bound is bool b ? (b ? "true" : "false") : Convert.ToString(bound, System.Globalization.CultureInfo.InvariantCulture), ignoreCase: true);
        }

        Assert.Empty(live.Validate());
    }

    [SharedDataFact]
    public void The_held_out_slice_is_the_one_the_trainer_never_trained_on()
    {
        var folder = SharedData.PathOf("fer2013-train")!;
        var trainer = FerTensors.Load(folder, 40);
        var (_, validation) = trainer.Split(0.1, 20131);

        var slice = HeldOutSlice.Select(FerSamples.Load(folder, 40), 0.1, 20131);

        Assert.Equal(validation.Select(i => trainer.Paths[i]), slice.Select(s => s.Path));
        Assert.Equal(validation.Select(i => trainer.Labels[i]), slice.Select(s => s.Label));
    }
}
