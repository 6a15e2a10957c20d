using MoodGrains.Vision.Imaging;
using OpenCvSharp;

namespace MoodGrains.Vision.Detection;

/// <summary>
/// MediaPipe's BlazeFace (converted from the human library's TF.js model): one square input, 896 anchors,
/// each with a face logit and a box regression; the anchor layout and box decoding follow that library.
/// </summary>
internal sealed class BlazeFaceDetector : IFaceDetector
{
    private readonly OnnxModel _model;
    private readonly int _size;
    private readonly float[] _anchors;
    private readonly float _minLogit;
    private readonly float _iouThreshold;

    public BlazeFaceDetector(string modelPath, int intraOpThreads, float minScore, float iouThreshold)
    {
        _model = new OnnxModel(modelPath, intraOpThreads);
        _size = _model.InputShape[2];
        _anchors = CreateAnchors(_size);
        // Compare logits, not probabilities: most of the 896 anchors are rejected without an exp().
        _minLogit = MathF.Log(minScore / (1 - minScore));
        _iouThreshold = iouThreshold;
    }

    public List<FaceDetection> Detect(Mat bgr)
    {
        // Letterbox: scale the longer side to the input size, keep the aspect ratio, pad right/bottom with black.
        var scale = (float)_size / Math.Max(bgr.Width, bgr.Height);
        var width = Math.Clamp((int)MathF.Round(bgr.Width * scale), 1, _size);
        var height = Math.Clamp((int)MathF.Round(bgr.Height * scale), 1, _size);
        using var resized = new Mat();
        Cv2.Resize(bgr, resized, new Size(width, height), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);

        var plane = _size * _size;
        using var input = new PooledBuffer(3 * plane);
        var span = input.Span;
        span.Fill(-0.5f); // black after the model's rgb / 127.5 - 0.5
        unsafe
        {
            for (var y = 0; y < height; y++)
            {
                var row = (byte*)resized.Ptr(y);
                for (var x = 0; x < width; x++)
                {
                    var o = (y * _size) + x;
                    span[o] = (row[(3 * x) + 2] / 127.5f) - 0.5f;
                    span[plane + o] = (row[(3 * x) + 1] / 127.5f) - 0.5f;
                    span[(2 * plane) + o] = (row[3 * x] / 127.5f) - 0.5f;
                }
            }
        }

        var outputs = _model.Run(input.Memory, [1, 3, _size, _size]);
        return Decode(outputs[0], outputs[1], scale);
    }

    private List<FaceDetection> Decode(float[] scores, float[] boxes, float scale)
    {
        var candidates = new List<FaceDetection>();
        var anchorCount = _anchors.Length / 2;
        for (var i = 0; i < anchorCount; i++)
        {
            var logit = scores[i];
            if (logit < _minLogit)
            {
                continue;
            }

            var score = 1f / (1f + MathF.Exp(-Math.Clamp(logit, -100f, 100f)));
            var r = boxes.AsSpan(i * 16, 16);
            // Offsets and sizes are in input pixels, relative to the anchor centre.
            var cx = (_anchors[2 * i] + r[0]) / scale;
            var cy = (_anchors[(2 * i) + 1] + r[1]) / scale;
            var w = r[2] / scale;
            var h = r[3] / scale;
            if (w <= 0 || h <= 0)
            {
                continue;
            }

            candidates.Add(new FaceDetection(new FaceBox(cx - (w / 2), cy - (h / 2), w, h), score));
        }

        return NonMaximumSuppression.Weighted(candidates, _iouThreshold);
    }

    /// <summary>Two grids (input/8 and input/16 cells) with 2 and 6 anchors per cell, centres in input pixels.</summary>
    internal static float[] CreateAnchors(int inputSize)
    {
        var anchors = new List<float>();
        foreach (var (stride, perCell) in new[] { (inputSize / 16, 2), (inputSize / 8, 6) })
        {
            var cells = (inputSize + stride - 1) / stride;
            for (var gy = 0; gy < cells; gy++)
            {
                for (var gx = 0; gx < cells; gx++)
                {
                    for (var n = 0; n < perCell; n++)
                    {
                        anchors.Add(stride * (gx + 0.5f));
                        anchors.Add(stride * (gy + 0.5f));
                    }
                }
            }
        }

        return [.. anchors];
    }

    public void Dispose() => _model.Dispose();
}
