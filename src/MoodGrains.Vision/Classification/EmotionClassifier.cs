using MoodGrains.Abstractions.Mood;
using MoodGrains.Vision.Imaging;
using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>Every model's opinion of one face, each in canonical <see cref="Emotion"/> order (for evaluation and fitting).</summary>
/// <param name="XceptionTenCrop">mini-Xception averaged over five sub-crops and their mirrors.</param>
/// <param name="Head">the face-api head's probabilities averaged with the mirror image's, when the head is loaded.</param>
public sealed record ModelScores(
    float[] Xception,
    float[] XceptionFlip,
    float[] XceptionTenCrop,
    float[] FaceApi,
    float[] FaceApiFlip,
    float[]? Ensemble,
    float[]? Head);

/// <summary>
/// Turns face crops into emotion probabilities with the configured model: mini-Xception, face-api's expression net,
/// the stacked ensemble of both, the FER head over face-api's backbone features, or that head combined with mini-Xception. Each model's preprocessing lives here, next to the model it belongs to.
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
    private readonly EmotionHead? _head;
    private readonly EmotionModelKind _kind;
    private readonly bool _flip;
    private readonly bool _multiCrop;

    private EmotionClassifier(VisionOptions options, bool xception, bool faceApi, bool ensemble, bool head)
    {
        _kind = options.EmotionModel;
        _flip = options.FlipAveraging;
        _multiCrop = options.MultiCrop;
        try
        {
            _xception = xception ? new OnnxModel(options.ResolvePath(options.XceptionFile), options.IntraOpThreads) : null;
            _faceApi = faceApi ? new OnnxModel(options.ResolvePath(options.FaceApiFile), options.IntraOpThreads) : null;
            _ensemble = ensemble ? EnsembleModel.Load(options.ResolvePath(options.EnsembleFile)) : null;
            _head = head ? LoadHead(options, _faceApi!) : null;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EmotionModelKind Kind => _kind;

    public bool HasEnsemble => _ensemble is not null;

    public bool HasHead => _head is not null;

    /// <summary>Loads only what <see cref="VisionOptions.EmotionModel"/> needs.</summary>
    public static EmotionClassifier Create(VisionOptions options) => new(options,
        options.EmotionModel.UsesXception(),
        options.EmotionModel.UsesFaceApi(),
        options.EmotionModel == EmotionModelKind.Ensemble,
        options.EmotionModel.UsesHead());

    /// <summary>
    /// Loads both models, and the ensemble and the head when their files exist (they do not yet while being fitted).
    /// </summary>
    public static EmotionClassifier CreateForEvaluation(VisionOptions options) => new(options, true, true,
        File.Exists(options.ResolvePath(options.EnsembleFile)), File.Exists(options.ResolvePath(options.HeadFile)));

    private static EmotionHead LoadHead(VisionOptions options, OnnxModel faceApi)
    {
        var path = options.ResolvePath(options.HeadFile);
        var head = EmotionHead.Load(path);
        if (faceApi.OutputShapes.Count < 2)
        {
            throw new InvalidDataException(
                $"'{options.ResolvePath(options.FaceApiFile)}' has no 'features' output for the head; rebuild it with models/convert/rebuild.sh.");
        }

        var dims = faceApi.OutputShapes[1][^1];
        if (dims != head.FeatureCount)
        {
            throw new InvalidDataException($"'{path}' reads {head.FeatureCount} features but the face-api model gives {dims}.");
        }

        return head;
    }

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
                    var x = _multiCrop ? RunXceptionMultiCrop(faces, _flip) : RunXception(faces, _flip);
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

            case EmotionModelKind.FaceApiHead:
                {
                    var h = RunHead(faces, _flip);
                    for (var i = 0; i < faces.Count; i++)
                    {
                        result[i] = new EmotionScores(h[i]);
                    }

                    break;
                }

            case EmotionModelKind.XceptionAndHead:
                {
                    // mini-Xception with its configured test-time augmentation; the head with flips only (five crops
                    // of the 112x112 face-api input would cost five times the whole classifier for the head alone).
                    var x = _multiCrop ? RunXceptionMultiCrop(faces, _flip) : RunXception(faces, _flip);
                    var h = RunHead(faces, _flip);
                    for (var i = 0; i < faces.Count; i++)
                    {
                        result[i] = new EmotionScores(ProductOfExperts.Combine(x[i], h[i]));
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
        var tenCrop = RunXceptionMultiCrop(faces, flip: true);
        var (f, features) = RunFaceApiOutputs(faces, flip: true);
        var result = new ModelScores[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            var xFlip = Average(x[i].Plain, x[i].Mirrored);
            var fFlip = Average(f[i].Plain, f[i].Mirrored);
            var head = _head is null ? null : Average(_head.Predict(features[i].Plain), _head.Predict(features[i].Mirrored));
            result[i] = new ModelScores(x[i].Plain, xFlip, tenCrop[i], f[i].Plain, fFlip, _ensemble?.Predict(xFlip, fFlip), head);
        }

        return result;
    }

    /// <summary>face-api's pooled backbone features of each face and of its mirror image (what the head is fitted on).</summary>
    public (float[] Plain, float[] Mirrored)[] FaceApiFeatures(IReadOnlyList<Mat> faces) => RunFaceApiOutputs(faces, flip: true).Features;

    private float[][] RunHead(IReadOnlyList<Mat> faces, bool flip)
    {
        var head = _head ?? throw new InvalidOperationException("The emotion head is not loaded.");
        var (_, features) = RunFaceApiOutputs(faces, flip);
        return [.. features.Select(p => flip ? Average(head.Predict(p.Plain), head.Predict(p.Mirrored)) : head.Predict(p.Plain))];
    }

    private float[][] RunXception(IReadOnlyList<Mat> faces, bool flip)
    {
        var pairs = RunXceptionPairs(faces, flip);
        return [.. pairs.Select(p => flip ? Average(p.Plain, p.Mirrored) : p.Plain)];
    }

    /// <summary>Averages each face over five sub-crops (corners and centre, each 11/12 of the side), with mirrors if asked.</summary>
    private float[][] RunXceptionMultiCrop(IReadOnlyList<Mat> faces, bool flip)
    {
        const int views = 5;
        var crops = new List<Mat>(faces.Count * views);
        try
        {
            foreach (var face in faces)
            {
                // 44 of 48 pixels on FER-2013's crops: the sub-crop size used by the ten-crop evaluations in the FER literature.
                var w = Math.Max(1, (int)MathF.Round(face.Width * 11f / 12f));
                var h = Math.Max(1, (int)MathF.Round(face.Height * 11f / 12f));
                int dx = face.Width - w, dy = face.Height - h;
                foreach (var (x, y) in new[] { (0, 0), (dx, 0), (0, dy), (dx, dy), (dx / 2, dy / 2) })
                {
                    crops.Add(new Mat(face, new Rect(x, y, w, h)));
                }
            }

            var pairs = RunXceptionPairs(crops, flip);
            var result = new float[faces.Count][];
            var count = flip ? 2 * views : views;
            for (var i = 0; i < faces.Count; i++)
            {
                var sum = new float[Emotions.Count];
                for (var v = 0; v < views; v++)
                {
                    var (plain, mirrored) = pairs[(i * views) + v];
                    for (var k = 0; k < Emotions.Count; k++)
                    {
                        sum[k] += plain[k] + (flip ? mirrored[k] : 0);
                    }
                }

                for (var k = 0; k < Emotions.Count; k++)
                {
                    sum[k] /= count;
                }

                result[i] = sum;
            }

            return result;
        }
        finally
        {
            crops.ForEach(c => c.Dispose());
        }
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
        return Split(output, faces.Count, copies, Emotions.Count, static (src, dst) => src.CopyTo(dst));
    }

    private (float[] Plain, float[] Mirrored)[] RunFaceApiPairs(IReadOnlyList<Mat> faces, bool flip = true) =>
        RunFaceApiOutputs(faces, flip).Probabilities;

    /// <summary>One face-api run: canonical-order probabilities and, when the model has them, the pooled features.</summary>
    private ((float[] Plain, float[] Mirrored)[] Probabilities, (float[] Plain, float[] Mirrored)[] Features) RunFaceApiOutputs(
        IReadOnlyList<Mat> faces, bool flip)
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

        var outputs = model.Run(input.Memory, [faces.Count * copies, 3, FaceApiSize, FaceApiSize]);
        var probabilities = Split(outputs[0], faces.Count, copies, Emotions.Count, static (src, dst) =>
        {
            for (var k = 0; k < Emotions.Count; k++)
            {
                dst[(int)FaceApiLabels[k]] = src[k];
            }
        });
        if (outputs.Length < 2)
        {
            return (probabilities, []);
        }

        var dims = outputs[1].Length / (faces.Count * copies);
        return (probabilities, Split(outputs[1], faces.Count, copies, dims, static (src, dst) => src.CopyTo(dst)));
    }

    private delegate void Reorder(ReadOnlySpan<float> source, Span<float> canonical);

    private static (float[] Plain, float[] Mirrored)[] Split(float[] output, int faces, int copies, int width, Reorder reorder)
    {
        var result = new (float[], float[])[faces];
        for (var i = 0; i < faces; i++)
        {
            var plain = new float[width];
            reorder(output.AsSpan(i * copies * width, width), plain);
            var mirrored = plain;
            if (copies == 2)
            {
                mirrored = new float[width];
                reorder(output.AsSpan(((i * 2) + 1) * width, width), mirrored);
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
