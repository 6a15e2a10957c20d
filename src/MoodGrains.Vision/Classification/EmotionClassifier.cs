using MoodGrains.Abstractions.Mood;
using MoodGrains.Vision.Imaging;
using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>Every model's opinion of one face, each in canonical <see cref="Emotion"/> order (for evaluation and fitting).</summary>
public sealed record ModelScores(float[] Xception, float[] XceptionFlip, float[] FaceApi, float[] FaceApiFlip, float[]? Ensemble);

/// <summary>
/// Turns face crops into emotion probabilities with the configured model: mini-Xception, face-api's expression net,
/// or the stacked ensemble of both. Each model's preprocessing lives here, next to the model it belongs to.
/// Thread-safe: the ONNX sessions are shared, all per-call state is local.
/// </summary>
public sealed class EmotionClassifier : IDisposable
{
    private const int XceptionSize = 64;
    private const int FaceApiSize = 112;

    // face-api's output order is neutral, happy, sad, angry, fearful, disgusted, surprised.
    private static readonly Emotion[] FaceApiLabels =
        [Emotion.Neutral, Emotion.Happy, Emotion.Sad, Emotion.Angry, Emotion.Fear, Emotion.Disgust, Emotion.Surprise];

    // face-api subtracts this mean RGB before dividing by 255.
    private static readonly float[] FaceApiMeanRgb = [122.782f, 117.001f, 104.298f];

    private readonly OnnxModel? _xception;
    private readonly OnnxModel? _faceApi;
    private readonly EnsembleModel? _ensemble;
    private readonly EmotionModelKind _kind;
    private readonly bool _flip;

    private EmotionClassifier(VisionOptions options, bool xception, bool faceApi, bool ensemble)
    {
        _kind = options.EmotionModel;
        _flip = options.FlipAveraging;
        try
        {
            _xception = xception ? new OnnxModel(options.ResolvePath(options.XceptionFile), options.IntraOpThreads) : null;
            _faceApi = faceApi ? new OnnxModel(options.ResolvePath(options.FaceApiFile), options.IntraOpThreads) : null;
            _ensemble = ensemble ? EnsembleModel.Load(options.ResolvePath(options.EnsembleFile)) : null;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EmotionModelKind Kind => _kind;

    public bool HasEnsemble => _ensemble is not null;

    /// <summary>Loads only what <see cref="VisionOptions.EmotionModel"/> needs.</summary>
    public static EmotionClassifier Create(VisionOptions options) => new(options,
        options.EmotionModel != EmotionModelKind.FaceApi,
        options.EmotionModel != EmotionModelKind.Xception,
        options.EmotionModel == EmotionModelKind.Ensemble);

    /// <summary>Loads both models, and the ensemble when its file exists (it does not yet while it is being fitted).</summary>
    public static EmotionClassifier CreateForEvaluation(VisionOptions options) => new(options, true, true,
        File.Exists(options.ResolvePath(options.EnsembleFile)));

    /// <summary>Probabilities for each face crop (BGR or gray, any size), by the configured model.</summary>
    public EmotionScores[] Classify(IReadOnlyList<Mat> faces)
    {
        if (faces.Count == 0)
        {
            return [];
        }

        var result = new EmotionScores[faces.Count];
        switch (_kind)
        {
            case EmotionModelKind.Xception:
                {
                    var x = RunXception(faces, _flip);
                    for (var i = 0; i < faces.Count; i++)
                    {
                        result[i] = new EmotionScores(x[i]);
                    }

                    break;
                }

            case EmotionModelKind.FaceApi:
                {
                    var f = RunFaceApi(faces, _flip);
                    for (var i = 0; i < faces.Count; i++)
                    {
                        result[i] = new EmotionScores(f[i]);
                    }

                    break;
                }

            default:
                {
                    var x = RunXception(faces, flip: true);
                    var f = RunFaceApi(faces, flip: true);
                    for (var i = 0; i < faces.Count; i++)
                    {
                        result[i] = new EmotionScores(_ensemble!.Predict(x[i], f[i]));
                    }

                    break;
                }
        }

        return result;
    }

    /// <summary>Every model, with and without flip averaging, plus the ensemble when loaded.</summary>
    public ModelScores[] ScoreAll(IReadOnlyList<Mat> faces)
    {
        if (_xception is null || _faceApi is null)
        {
            throw new InvalidOperationException("ScoreAll needs both models; create the classifier with CreateForEvaluation.");
        }

        var x = RunXceptionPairs(faces);
        var f = RunFaceApiPairs(faces);
        var result = new ModelScores[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            var xFlip = Average(x[i].Plain, x[i].Mirrored);
            var fFlip = Average(f[i].Plain, f[i].Mirrored);
            result[i] = new ModelScores(x[i].Plain, xFlip, f[i].Plain, fFlip, _ensemble?.Predict(xFlip, fFlip));
        }

        return result;
    }

    private float[][] RunXception(IReadOnlyList<Mat> faces, bool flip)
    {
        var pairs = RunXceptionPairs(faces, flip);
        return [.. pairs.Select(p => flip ? Average(p.Plain, p.Mirrored) : p.Plain)];
    }

    private float[][] RunFaceApi(IReadOnlyList<Mat> faces, bool flip)
    {
        var pairs = RunFaceApiPairs(faces, flip);
        return [.. pairs.Select(p => flip ? Average(p.Plain, p.Mirrored) : p.Plain)];
    }

    private (float[] Plain, float[] Mirrored)[] RunXceptionPairs(IReadOnlyList<Mat> faces, bool flip = true)
    {
        var model = _xception ?? throw new InvalidOperationException("The Xception model is not loaded.");
        const int plane = XceptionSize * XceptionSize;
        var copies = flip ? 2 : 1;
        using var input = new PooledBuffer(faces.Count * copies * plane);
        var span = input.Span;
        for (var i = 0; i < faces.Count; i++)
        {
            using var resized = ResizeTo(faces[i], XceptionSize);
            var plain = span.Slice(i * copies * plane, plane);
            var mirrored = flip ? span.Slice(((i * copies) + 1) * plane, plane) : default;
            FillGray(resized, plain, mirrored);
        }

        var output = model.Run(input.Memory, [faces.Count * copies, 1, XceptionSize, XceptionSize])[0];
        return Split(output, faces.Count, copies, static (src, dst) => src.CopyTo(dst));
    }

    private (float[] Plain, float[] Mirrored)[] RunFaceApiPairs(IReadOnlyList<Mat> faces, bool flip = true)
    {
        var model = _faceApi ?? throw new InvalidOperationException("The face-api model is not loaded.");
        const int image = 3 * FaceApiSize * FaceApiSize;
        var copies = flip ? 2 : 1;
        using var input = new PooledBuffer(faces.Count * copies * image);
        var span = input.Span;
        for (var i = 0; i < faces.Count; i++)
        {
            using var resized = ResizeTo(faces[i], FaceApiSize);
            var plain = span.Slice(i * copies * image, image);
            var mirrored = flip ? span.Slice(((i * copies) + 1) * image, image) : default;
            FillFaceApi(resized, plain, mirrored);
        }

        var output = model.Run(input.Memory, [faces.Count * copies, 3, FaceApiSize, FaceApiSize])[0];
        return Split(output, faces.Count, copies, static (src, dst) =>
        {
            for (var k = 0; k < Emotions.Count; k++)
            {
                dst[(int)FaceApiLabels[k]] = src[k];
            }
        });
    }

    private delegate void Reorder(ReadOnlySpan<float> source, Span<float> canonical);

    private static (float[] Plain, float[] Mirrored)[] Split(float[] output, int faces, int copies, Reorder reorder)
    {
        var result = new (float[], float[])[faces];
        for (var i = 0; i < faces; i++)
        {
            var plain = new float[Emotions.Count];
            reorder(output.AsSpan(i * copies * Emotions.Count, Emotions.Count), plain);
            var mirrored = plain;
            if (copies == 2)
            {
                mirrored = new float[Emotions.Count];
                reorder(output.AsSpan(((i * 2) + 1) * Emotions.Count, Emotions.Count), mirrored);
            }

            result[i] = (plain, mirrored);
        }

        return result;
    }

    private static float[] Average(float[] a, float[] b)
    {
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = (a[i] + b[i]) * 0.5f;
        }

        return result;
    }

    /// <summary>
    /// Stretches the whole crop to the model's square input: FER-2013 faces are already framed, and padding or
    /// cutting them costs accuracy.
    /// </summary>
    private static Mat ResizeTo(Mat face, int size)
    {
        var resized = new Mat();
        var shrinking = face.Width > size || face.Height > size;
        Cv2.Resize(face, resized, new Size(size, size), 0, 0, shrinking ? InterpolationFlags.Area : InterpolationFlags.Linear);
        return resized;
    }

    /// <summary>mini-Xception input: gray = 0.2989 R + 0.587 G + 0.114 B, scaled to [-1, 1].</summary>
    private static unsafe void FillGray(Mat image, Span<float> plain, Span<float> mirrored)
    {
        var channels = image.Channels();
        for (var y = 0; y < XceptionSize; y++)
        {
            var row = (byte*)image.Ptr(y);
            for (var x = 0; x < XceptionSize; x++)
            {
                float gray = channels == 1
                    ? row[x]
                    : (0.114f * row[3 * x]) + (0.587f * row[(3 * x) + 1]) + (0.2989f * row[(3 * x) + 2]);
                var value = ((gray / 255f) - 0.5f) * 2f;
                plain[(y * XceptionSize) + x] = value;
                if (!mirrored.IsEmpty)
                {
                    mirrored[(y * XceptionSize) + (XceptionSize - 1 - x)] = value;
                }
            }
        }
    }

    /// <summary>face-api input: planar RGB, (x - mean) / 255.</summary>
    private static unsafe void FillFaceApi(Mat image, Span<float> plain, Span<float> mirrored)
    {
        const int plane = FaceApiSize * FaceApiSize;
        var channels = image.Channels();
        for (var y = 0; y < FaceApiSize; y++)
        {
            var row = (byte*)image.Ptr(y);
            for (var x = 0; x < FaceApiSize; x++)
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

                var o = (y * FaceApiSize) + x;
                var m = (y * FaceApiSize) + (FaceApiSize - 1 - x);
                var vr = (r - FaceApiMeanRgb[0]) / 255f;
                var vg = (g - FaceApiMeanRgb[1]) / 255f;
                var vb = (b - FaceApiMeanRgb[2]) / 255f;
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

    public void Dispose()
    {
        _xception?.Dispose();
        _faceApi?.Dispose();
    }
}
