using MoodGrains.Mood;
using MoodGrains.Vision.Imaging;
using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// oarriaga's mini-Xception (64x64 gray) with its preprocessing. Thread-safe: the ONNX session is shared, all
/// per-call state is local.
/// </summary>
public sealed class XceptionNet(string path, int intraOpThreads) : IDisposable
{
    private const int Size = 64;

    private readonly OnnxModel _model = new(path, intraOpThreads);

    /// <summary>Canonical-order probabilities of each face, flip-averaged if asked.</summary>
    public float[][] Predict(IReadOnlyList<Mat> faces, bool flip) => [.. Run(faces, flip).Select(p => p.Pick(flip))];

    /// <summary>Averages each face over five sub-crops (corners and centre, each 11/12 of the side), with mirrors if asked.</summary>
    public float[][] PredictMultiCrop(IReadOnlyList<Mat> faces, bool flip) => FiveCrop.Predict(faces, flip, Run);

    /// <summary>Canonical-order probabilities of each face and of its mirror image, in one batched run.</summary>
    public FaceViews[] Run(IReadOnlyList<Mat> faces, bool flip = true)
    {
        const int plane = Size * Size;
        var copies = flip ? 2 : 1;
        using var input = new PooledBuffer(faces.Count * copies * plane);
        var span = input.Span;
        for (var i = 0; i < faces.Count; i++)
        {
            using var resized = FaceViews.ResizeTo(faces[i], Size);
            var plain = span.Slice(i * copies * plane, plane);
            var mirrored = flip ? span.Slice(((i * copies) + 1) * plane, plane) : default;
            FillGray(resized, plain, mirrored);
        }

        var output = _model.Run(input.Memory, [faces.Count * copies, 1, Size, Size])[0];
        return FaceViews.Split(output, faces.Count, copies, Emotions.Count, static (src, dst) => src.CopyTo(dst));
    }

    /// <summary>mini-Xception input: gray = 0.2989 R + 0.587 G + 0.114 B, scaled to [-1, 1].</summary>
    private static unsafe void FillGray(Mat image, Span<float> plain, Span<float> mirrored)
    {
        var channels = image.Channels();
        for (var y = 0; y < Size; y++)
        {
            var row = (byte*)image.Ptr(y);
            for (var x = 0; x < Size; x++)
            {
                float gray = channels == 1
                    ? row[x]
                    : (0.114f * row[3 * x]) + (0.587f * row[(3 * x) + 1]) + (0.2989f * row[(3 * x) + 2]);
                var value = ((gray / 255f) - 0.5f) * 2f;
                plain[(y * Size) + x] = value;
                if (!mirrored.IsEmpty)
                {
                    mirrored[(y * Size) + (Size - 1 - x)] = value;
                }
            }
        }
    }

    public void Dispose() => _model.Dispose();
}
