using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace MoodGrains.Training.Torch.Tests;

public sealed class OnnxExportTests
{
    public OnnxExportTests()
    {
        NativeCompatibility.EnsureLoadable();
        torch.set_num_threads(1);
    }

    [Fact]
    public void A_random_network_with_trained_statistics_exports_within_tolerance()
    {
        torch.manual_seed(3);
        using var model = new EmotionCnn(new EmotionCnnShape([4, 8, 12], 2, 0.5));

        // Training-mode passes move BatchNorm's running statistics away from 0 and 1, so folding them is really tested.
        model.train();
        using (no_grad())
        {
            for (var i = 0; i < 5; i++)
            {
                using var batch = (randn(16, 1, 48, 48) * 2) + 0.7;
                using var _ = model.forward(batch);
            }
        }

        foreach (var (_, norm, _) in model.Layers)
        {
            using (no_grad())
            {
                norm.weight!.uniform_(0.5, 2);
                norm.bias!.uniform_(-1, 1);
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"moodgrains-cnn-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExport.Write(model, path, new Dictionary<string, string> { ["seed"] = "3" });
            using var images = rand(10, 1, 48, 48) * 2 - 1;

            var difference = OnnxParity.MaxAbsDifference(model, path, images);

            Assert.InRange(difference, 0, 1e-5);
            using var session = new InferenceSession(path);
            Assert.Equal([-1, 1, 48, 48], session.InputMetadata[OnnxExport.InputName].Dimensions);
            Assert.Equal([-1, 7], session.OutputMetadata[OnnxExport.OutputName].Dimensions);
            Assert.Equal("3", session.ModelMetadata.CustomMetadataMap["seed"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parity_notices_a_file_that_is_not_the_network()
    {
        torch.manual_seed(4);
        using var exported = new EmotionCnn(new EmotionCnnShape([4, 8], 1, 0));
        using var other = new EmotionCnn(new EmotionCnnShape([4, 8], 1, 0));
        var path = Path.Combine(Path.GetTempPath(), $"moodgrains-cnn-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExport.Write(exported, path, new Dictionary<string, string>());
            using var images = rand(4, 1, 48, 48) * 2 - 1;

            Assert.True(OnnxParity.MaxAbsDifference(other, path, images) > TrainedModelExport.Tolerance);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
