using OpenCvSharp;

namespace MoodGrains.Vision.Detection;

/// <summary>
/// OpenCV's frontal-face Haar cascade. A CascadeClassifier keeps scratch state while it runs, so each thread
/// gets its own copy of the (read-only) cascade.
/// </summary>
internal sealed class HaarFaceDetector : IFaceDetector
{
    // Cascades are slow on big frames and faces at webcam distance survive this downscale.
    private const int WorkingWidth = 640;

    private readonly ThreadLocal<CascadeClassifier> _cascades;
    private readonly int _minFaceSize;

    public HaarFaceDetector(string cascadePath, int minFaceSize)
    {
        using (var probe = new CascadeClassifier(cascadePath))
        {
            if (probe.Empty())
            {
                throw new InvalidOperationException($"'{cascadePath}' is not a Haar cascade OpenCV can load.");
            }
        }

        _cascades = new ThreadLocal<CascadeClassifier>(() => new CascadeClassifier(cascadePath), trackAllValues: true);
        _minFaceSize = minFaceSize;
    }

    public List<FaceDetection> Detect(Mat bgr)
    {
        var scale = bgr.Width > WorkingWidth ? (double)WorkingWidth / bgr.Width : 1.0;
        using var gray = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        if (scale < 1)
        {
            Cv2.Resize(gray, gray, new Size(), scale, scale, InterpolationFlags.Area);
        }

        Cv2.EqualizeHist(gray, gray);
        var minSize = Math.Max(12, (int)(_minFaceSize * scale));
        var rects = _cascades.Value!.DetectMultiScale(gray, 1.1, 5, HaarDetectionTypes.ScaleImage, new Size(minSize, minSize));
        // The cascade gives no calibrated confidence; every accepted face counts as certain.
        return rects
            .Select(r => new FaceDetection(new FaceBox((float)(r.X / scale), (float)(r.Y / scale), (float)(r.Width / scale), (float)(r.Height / scale)), 1f))
            .OrderByDescending(d => d.Box.Area)
            .ToList();
    }

    public void Dispose()
    {
        foreach (var cascade in _cascades.Values)
        {
            cascade.Dispose();
        }

        _cascades.Dispose();
    }
}
