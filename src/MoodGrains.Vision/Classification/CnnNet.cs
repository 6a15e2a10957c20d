using MoodGrains.Mood;
using MoodGrains.Vision.Imaging;
using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// Our own emotion network, trained by <c>moodgrains train emotion</c> and exported by <c>moodgrains export emotion</c>
/// (MoodGrains.Training.Torch): input <c>[N,1,48,48]</c> gray, output <c>probabilities [N,7]</c> in canonical order.
/// Faces are read exactly as the trainer read fer2013-train, because any other reading is a different input
/// distribution to the network. Thread-safe: the ONNX session is shared, all per-call state is local.
/// </summary>
public sealed class CnnNet : IDisposable
{
    /// <summary>The trainer's input side: FER-2013's 48x48 crops.</summary>
    public const int Size = 48;

    private readonly OnnxModel _model;

    public CnnNet(string path, int intraOpThreads)
    {
        _model = new OnnxModel(path, intraOpThreads);
        if (_model.InputShape is not [_, 1, Size, Size] || _model.OutputShapes is not [[_, Emotions.Count], ..])
        {
            var input = string.Join(',', _model.InputShape);
            _model.Dispose();
            throw new InvalidDataException($"'{path}' reads [{input}], not [N,1,{Size},{Size}] with [N,{Emotions.Count}] probabilities: it is not an exported emotion CNN.");
        }
    }

    /// <summary>Canonical-order probabilities of each face, flip-averaged if asked.</summary>
    public float[][] Predict(IReadOnlyList<Mat> faces, bool flip) => [.. Run(faces, flip).Select(p => p.Pick(flip))];

    /// <summary>Averages each face over five sub-crops (corners and centre, each 11/12 of the side), with mirrors if asked.</summary>
    public float[][] PredictMultiCrop(IReadOnlyList<Mat> faces, bool flip) => FiveCrop.Predict(faces, flip, Run);

    /// <summary>Canonical-order probabilities of each face and of its mirror image, in one batched run.</summary>
    public FaceViews[] Run(IReadOnlyList<Mat> faces, bool flip)
    {
        const int plane = Size * Size;
        var copies = flip ? 2 : 1;
        using var input = new PooledBuffer(faces.Count * copies * plane);
        var span = input.Span;
        for (var i = 0; i < faces.Count; i++)
        {
            using var gray = Prepare(faces[i]);
            var plain = span.Slice(i * copies * plane, plane);
            var mirrored = flip ? span.Slice(((i * copies) + 1) * plane, plane) : default;
            Fill(gray, plain, mirrored);
        }

        var output = _model.Run(input.Memory, [faces.Count * copies, 1, Size, Size])[0];
        return FaceViews.Split(output, faces.Count, copies, Emotions.Count, static (src, dst) => src.CopyTo(dst));
    }

    /// <summary>The network's scaling of a 0-255 gray value: <c>(gray/255 - 0.5) * 2</c>, as the trainer's FerTensors.Scale.</summary>
    public static float Scale(byte gray) => ((gray / 255f) - 0.5f) * 2f;

    /// <summary>
    /// The trainer's reading of an image: gray first (OpenCV's 0.299 R + 0.587 G + 0.114 B, what reading a file as
    /// grayscale gives), then, unless already 48x48, area interpolation to 48x48.
    /// </summary>
    internal static Mat Prepare(Mat face)
    {
        using var gray = new Mat();
        if (face.Channels() == 1)
        {
            face.CopyTo(gray);
        }
        else
        {
            Cv2.CvtColor(face, gray, face.Channels() == 4 ? ColorConversionCodes.BGRA2GRAY : ColorConversionCodes.BGR2GRAY);
        }

        if (gray.Width == Size && gray.Height == Size)
        {
            return gray.Clone();
        }

        var resized = new Mat();
        Cv2.Resize(gray, resized, new OpenCvSharp.Size(Size, Size), 0, 0, InterpolationFlags.Area);
        return resized;
    }

    private static unsafe void Fill(Mat gray, Span<float> plain, Span<float> mirrored)
    {
        for (var y = 0; y < Size; y++)
        {
            var row = (byte*)gray.Ptr(y);
            for (var x = 0; x < Size; x++)
            {
                var value = Scale(row[x]);
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
