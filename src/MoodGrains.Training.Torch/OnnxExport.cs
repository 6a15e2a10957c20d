using MoodGrains.Mood;
using static TorchSharp.torch;

namespace MoodGrains.Training.Torch;

/// <summary>
/// Writes an <see cref="EmotionCnn"/> as an ONNX file (opset 13): each BatchNorm is folded into the convolution before
/// it, and the dropout, which is the identity at inference, disappears. Input <c>input [N,1,48,48]</c>, grey scaled as
/// <see cref="FerTensors.Scale"/> does; output <c>probabilities [N,7]</c> in canonical order (softmax of the logits).
/// TorchSharp has no ONNX exporter, so this one knows the one architecture it exports.
/// </summary>
public static class OnnxExport
{
    public const string InputName = "input";
    public const string OutputName = "probabilities";
    private const long IrVersion = 8;
    private const long Opset = 13;

    public static void Write(EmotionCnn model, string path, IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new OnnxProto();
        var nodes = new List<OnnxProto>();
        var initializers = new List<OnnxProto>();
        var current = InputName;
        var index = 0;
        foreach (var (conv, norm, poolAfter) in model.Layers)
        {
            index++;
            var (weight, bias) = Fold(conv, norm);
            var w = $"conv{index}.weight";
            var b = $"conv{index}.bias";
            initializers.Add(OnnxProto.FloatTensor(w, [.. conv.weight!.shape], weight));
            initializers.Add(OnnxProto.FloatTensor(b, [conv.weight!.shape[0]], bias));
            nodes.Add(OnnxProto.Node("Conv", $"conv{index}", [current, w, b], [$"conv{index}"],
                OnnxProto.IntsAttribute("kernel_shape", 3, 3), OnnxProto.IntsAttribute("pads", 1, 1, 1, 1), OnnxProto.IntsAttribute("strides", 1, 1)));
            nodes.Add(OnnxProto.Node("Relu", $"relu{index}", [$"conv{index}"], [$"relu{index}"]));
            current = $"relu{index}";
            if (poolAfter)
            {
                nodes.Add(OnnxProto.Node("MaxPool", $"pool{index}", [current], [$"pool{index}"],
                    OnnxProto.IntsAttribute("kernel_shape", 2, 2), OnnxProto.IntsAttribute("strides", 2, 2)));
                current = $"pool{index}";
            }
        }

        nodes.Add(OnnxProto.Node("GlobalAveragePool", "gap", [current], ["gap"]));
        nodes.Add(OnnxProto.Node("Flatten", "flatten", ["gap"], ["features"], OnnxProto.IntAttribute("axis", 1)));
        var fc = model.Classifier;
        initializers.Add(OnnxProto.FloatTensor("classifier.weight", [.. fc.weight!.shape], Values(fc.weight!)));
        initializers.Add(OnnxProto.FloatTensor("classifier.bias", [.. fc.bias!.shape], Values(fc.bias!)));
        nodes.Add(OnnxProto.Node("Gemm", "classifier", ["features", "classifier.weight", "classifier.bias"], ["logits"], OnnxProto.IntAttribute("transB", 1)));
        nodes.Add(OnnxProto.Node("Softmax", "softmax", ["logits"], [OutputName], OnnxProto.IntAttribute("axis", 1)));

        // GraphProto: node 1, name 2, initializer 5, input 11, output 12.
        foreach (var node in nodes)
        {
            graph.Message(1, node);
        }

        graph.String(2, "moodgrains_cnn");
        foreach (var initializer in initializers)
        {
            graph.Message(5, initializer);
        }

        graph.Message(11, OnnxProto.FloatValue(InputName, "N", 1, EmotionCnnShape.InputSize, EmotionCnnShape.InputSize));
        graph.Message(12, OnnxProto.FloatValue(OutputName, "N", EmotionCnnShape.Classes));
        var doc = $"MoodGrains emotion CNN ({model.Shape}). Input {InputName} [N,1,48,48]: grey = 0.299 R + 0.587 G + 0.114 B, (grey/255 - 0.5) * 2. " +
            $"Output {OutputName} [N,7]: softmax over {string.Join(", ", Emotions.Names)}.";
        var file = OnnxProto.Model(graph, IrVersion, Opset, "MoodGrains.Training.Torch", doc, metadata);
        var temporary = path + ".writing";
        File.WriteAllBytes(temporary, file.ToArray());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The convolution's weights and a bias with the BatchNorm after it (inference statistics) folded in.</summary>
    private static (float[] Weight, float[] Bias) Fold(TorchSharp.Modules.Conv2d conv, TorchSharp.Modules.BatchNorm2d norm)
    {
        var weight = Values(conv.weight!);
        var gamma = Values(norm.weight!);
        var beta = Values(norm.bias!);
        var mean = Values(norm.running_mean!);
        var variance = Values(norm.running_var!);
        var eps = norm.eps;
        var outputs = gamma.Length;
        var perOutput = weight.Length / outputs;
        var folded = new float[weight.Length];
        var bias = new float[outputs];
        for (var o = 0; o < outputs; o++)
        {
            var scale = gamma[o] / Math.Sqrt(variance[o] + eps);
            for (var k = 0; k < perOutput; k++)
            {
                folded[(o * perOutput) + k] = (float)(weight[(o * perOutput) + k] * scale);
            }

            bias[o] = (float)(beta[o] - (mean[o] * scale));
        }

        return (folded, bias);
    }

    private static float[] Values(Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();
}
