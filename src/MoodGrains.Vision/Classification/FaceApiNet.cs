using MoodGrains.Mood;
using MoodGrains.Vision.Imaging;
using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// face-api's FaceExpressionNet (112x112 RGB) with its preprocessing: probabilities in canonical order and, when the
/// model was rebuilt with them, its pooled backbone features. Thread-safe: the ONNX session is shared.
/// </summary>
public sealed class FaceApiNet : IDisposable
{
    private const int Size = 112;

    // face-api's output order is neutral, happy, sad, angry, fearful, disgusted, surprised.
    private static readonly Emotion[] Labels =
        [Emotion.Neutral, Emotion.Happy, Emotion.Sad, Emotion.Angry, Emotion.Fear, Emotion.Disgust, Emotion.Surprise];

    // face-api subtracts this mean RGB before dividing by 255.
    private static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    private readonly OnnxModel _model;

    public FaceApiNet(string path, int intraOpThreads)
    {
        Path = path;
        _model = new OnnxModel(path, intraOpThreads);
    }

    public string Path { get; }

    /// <summary>Width of the 'features' output; 0 when the model has none.</summary>
    public int FeatureCount => _model.OutputShapes.Count < 2 ? 0 : _model.OutputShapes[1][^1];

    /// <summary>Canonical-order probabilities of each face, flip-averaged if asked.</summary>
    public float[][] Predict(IReadOnlyList<Mat> faces, bool flip) => [.. Run(faces, flip).Probabilities.Select(p => p.Pick(flip))];

    /// <summary>One batched run: probabilities and, when the model has them, the pooled features (else empty).</summary>
    public (FaceViews[] Probabilities, FaceViews[] Features) Run(IReadOnlyList<Mat> faces, bool flip)
    {
        const int image = 3 * Size * Size;
        var copies = flip ? 2 : 1;
        using var input = new PooledBuffer(faces.Count * copies * image);
        var span = input.Span;
        for (var i = 0; i < faces.Count; i++)
        {
            using var resized = FaceViews.ResizeTo(faces[i], Size);
            var plain = span.Slice(i * copies * image, image);
            var mirrored = flip ? span.Slice(((i * copies) + 1) * image, image) : default;
            Fill(resized, plain, mirrored);
        }

        var outputs = _model.Run(input.Memory, [faces.Count * copies, 3, Size, Size]);
        var probabilities = FaceViews.Split(outputs[0], faces.Count, copies, Emotions.Count, static (src, dst) =>
        {
            for (var k = 0; k < Emotions.Count; k++)
            {
                dst[(int)Labels[k]] = src[k];
            }
        });
        if (outputs.Length < 2)
        {
            return (probabilities, []);
        }

        var dims = outputs[1].Length / (faces.Count * copies);
        return (probabilities, FaceViews.Split(outputs[1], faces.Count, copies, dims, static (src, dst) => src.CopyTo(dst)));
    }

    /// <summary>face-api input: planar RGB, (x - mean) / 255.</summary>
    private static unsafe void Fill(Mat image, Span<float> plain, Span<float> mirrored)
    {
        const int plane = Size * Size;
        var channels = image.Channels();
        for (var y = 0; y < Size; y++)
        {
            var row = (byte*)image.Ptr(y);
            for (var x = 0; x < Size; x++)
            {
                float r, g, b;
                if (channels == 1)
                {
                    r = g = b = row[x];
                }
                else
                {
                    b = row[3 * x];
                    g = row[(3 * x) + 1];
                    r = row[(3 * x) + 2];
                }

                var o = (y * Size) + x;
                var m = (y * Size) + (Size - 1 - x);
                var vr = (r - MeanRgb[0]) / 255f;
                var vg = (g - MeanRgb[1]) / 255f;
                var vb = (b - MeanRgb[2]) / 255f;
                plain[o] = vr;
                plain[plane + o] = vg;
                plain[(2 * plane) + o] = vb;
                if (!mirrored.IsEmpty)
                {
                    mirrored[m] = vr;
                    mirrored[plane + m] = vg;
                    mirrored[(2 * plane) + m] = vb;
                }
            }
        }
    }

    public void Dispose() => _model.Dispose();
}
