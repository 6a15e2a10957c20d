using Microsoft.ML.OnnxRuntime;
using OnnxTensors = Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace MoodGrains.Training.Torch;

/// <summary>Runs an exported file with ONNX Runtime and the network with TorchSharp on the same images and compares the probabilities.</summary>
public static class OnnxParity
{
    /// <summary>The largest absolute difference between the two sets of probabilities, over [N,1,48,48] <paramref name="images"/>.</summary>
    public static double MaxAbsDifference(EmotionCnn model, string onnxPath, Tensor images)
    {
        model.eval();
        float[] expected;
        using (no_grad())
        {
            using var logits = model.forward(images);
            using var probabilities = nn.functional.softmax(logits, 1);
            expected = probabilities.contiguous().data<float>().ToArray();
        }

        var input = images.contiguous().data<float>().ToArray();
        var n = (int)images.shape[0];
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(onnxPath, options);
        var tensor = new OnnxTensors.DenseTensor<float>(input, [n, 1, EmotionCnnShape.InputSize, EmotionCnnShape.InputSize]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, tensor)]);
        var actual = results.Single(r => r.Name == OnnxExport.OutputName).AsEnumerable<float>().ToArray();
        if (actual.Length != expected.Length)
        {
            throw new InvalidDataException($"'{onnxPath}' gave {actual.Length} values for {n} images, expected {expected.Length}.");
        }

        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
    }
}
