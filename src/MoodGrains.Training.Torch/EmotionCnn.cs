using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MoodGrains.Training.Torch;

/// <summary>
/// The shape of <see cref="EmotionCnn"/>: one block per width, each <see cref="ConvsPerBlock"/> 3x3 convolutions
/// (BatchNorm, ReLU), a 2x2 max-pool after every block but the last, then global average pooling, dropout and one
/// fully connected layer to the seven classes.
/// </summary>
public sealed record EmotionCnnShape(IReadOnlyList<int> Widths, int ConvsPerBlock, double Dropout)
{
    /// <summary>The input side in pixels: FER-2013's 48x48 grey crops.</summary>
    public const int InputSize = 48;

    public const int Classes = 7;

    public static EmotionCnnShape Default { get; } = new([32, 64, 128, 256], 2, 0.4);

    public override string ToString() => $"widths {string.Join('-', Widths)}, {ConvsPerBlock} conv/block, dropout {Dropout}";
}

/// <summary>
/// A compact VGG-style network for 48x48 grey faces. Its layers are kept in typed lists, in order, so the ONNX exporter
/// can walk them; the ONNX exporter writes exactly this architecture.
/// </summary>
public sealed class EmotionCnn : nn.Module<Tensor, Tensor>
{
    private readonly List<(Conv2d Conv, BatchNorm2d Norm, bool PoolAfter)> _layers = [];
    private readonly Dropout _dropout;
    private readonly Linear _classifier;

    public EmotionCnn(EmotionCnnShape shape)
        : base(nameof(EmotionCnn))
    {
        Shape = shape;
        var channels = 1;
        for (var b = 0; b < shape.Widths.Count; b++)
        {
            for (var c = 0; c < shape.ConvsPerBlock; c++)
            {
                // No conv bias: the BatchNorm that follows has its own shift.
                var conv = nn.Conv2d(channels, shape.Widths[b], 3, padding: 1, bias: false);
                var norm = nn.BatchNorm2d(shape.Widths[b]);
                register_module($"block{b + 1}_conv{c + 1}", conv);
                register_module($"block{b + 1}_norm{c + 1}", norm);
                _layers.Add((conv, norm, c == shape.ConvsPerBlock - 1 && b < shape.Widths.Count - 1));
                channels = shape.Widths[b];
            }
        }

        _dropout = nn.Dropout(shape.Dropout);
        _classifier = nn.Linear(channels, EmotionCnnShape.Classes);
        register_module("dropout", _dropout);
        register_module("classifier", _classifier);
    }

    public EmotionCnnShape Shape { get; }

    internal IReadOnlyList<(Conv2d Conv, BatchNorm2d Norm, bool PoolAfter)> Layers => _layers;

    internal Linear Classifier => _classifier;

    /// <summary>Logits [N,7] for inputs [N,1,48,48] scaled to [-1,1].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var (conv, norm, poolAfter) in _layers)
        {
            x = nn.functional.relu(norm.forward(conv.forward(x)));
            if (poolAfter)
            {
                x = nn.functional.max_pool2d(x, 2, 2);
            }
        }

        x = x.mean([2, 3]);
        return _classifier.forward(_dropout.forward(x)).MoveToOuterDisposeScope();
    }
}
