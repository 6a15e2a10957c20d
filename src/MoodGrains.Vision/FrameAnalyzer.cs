using System.Diagnostics;
using MoodGrains.Mood;
using MoodGrains.Vision.Classification;
using MoodGrains.Vision.Detection;
using MoodGrains.Vision.Imaging;
using OpenCvSharp;

namespace MoodGrains.Vision;

/// <summary>
/// Frame bytes to faces and emotion probabilities: check, decode, detect, crop, classify.
/// Create one per process and share it; <see cref="Analyze"/> may be called from many threads at once.
/// Bad input never throws: every outcome is a <see cref="FrameAnalysis"/> with a <see cref="FrameStatus"/>.
/// </summary>
public sealed class FrameAnalyzer : IDisposable
{
    private readonly VisionOptions _options;
    private readonly IFaceDetector _detector;
    private readonly EmotionClassifier _classifier;

    public FrameAnalyzer(VisionOptions options)
    {
        options.ThrowIfInvalid();
        _options = options;
        _detector = options.Detector == FaceDetectorKind.BlazeFace
            ? new BlazeFaceDetector(options.ResolvePath(options.BlazeFaceFile), options.IntraOpThreads, options.MinDetectionScore, options.NmsIouThreshold)
            : new HaarFaceDetector(options.HaarCascadePath, options.MinFaceSize);
        try
        {
            _classifier = EmotionClassifier.Create(options);
        }
        catch
        {
            _detector.Dispose();
            throw;
        }
    }

    public VisionOptions Options => _options;

    /// <summary>Finds up to <see cref="VisionOptions.MaxFaces"/> faces in an encoded frame and classifies each.</summary>
    public FrameAnalysis Analyze(ReadOnlySpan<byte> encoded)
    {
        try
        {
            return AnalyzeFrame(encoded);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Last line of defence (e.g. a decoder error OpenCvSharp reports with another exception type).
            return FrameAnalysis.FromException(FrameStatus.Faulted, ex);
        }
    }

    private FrameAnalysis AnalyzeFrame(ReadOnlySpan<byte> encoded)
    {
        var start = Stopwatch.GetTimestamp();
        var decoded = Decode(encoded, out var frame);
        if (decoded is not null)
        {
            return decoded with { Timings = new VisionTimings(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0, 0) };
        }

        using (frame)
        {
            var decodeMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            try
            {
                return AnalyzeDecoded(frame!, decodeMs);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The silo must never see an exception from a frame; the status carries the reason instead.
                return FrameAnalysis.FromException(FrameStatus.Faulted, ex, new VisionTimings(decodeMs, 0, 0), frame!.Width, frame.Height);
            }
        }
    }

    /// <summary>
    /// Classifies an image that already is a face crop (FER-2013 style), whole and without detection.
    /// The single face's box is the whole image and its detection score 1.
    /// </summary>
    public FrameAnalysis ClassifyFace(ReadOnlySpan<byte> encoded)
    {
        var start = Stopwatch.GetTimestamp();
        FrameAnalysis? failed;
        Mat? image;
        try
        {
            failed = Decode(encoded, out image);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return FrameAnalysis.FromException(FrameStatus.Faulted, ex);
        }

        if (failed is not null)
        {
            return failed;
        }

        using (image)
        {
            var decodeMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var classifyStart = Stopwatch.GetTimestamp();
            EmotionScores scores;
            try
            {
                scores = _classifier.Classify([image!])[0];
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return FrameAnalysis.FromException(FrameStatus.Faulted, ex, new VisionTimings(decodeMs, 0, 0), image!.Width, image.Height);
            }

            return new FrameAnalysis
            {
                Status = FrameStatus.Ok,
                Faces = [new AnalyzedFace(new FaceBox(0, 0, image!.Width, image.Height), 1f, scores)],
                Width = image.Width,
                Height = image.Height,
                Timings = new VisionTimings(decodeMs, 0, Stopwatch.GetElapsedTime(classifyStart).TotalMilliseconds),
            };
        }
    }

    private FrameAnalysis AnalyzeDecoded(Mat frame, double decodeMs)
    {
        var detectStart = Stopwatch.GetTimestamp();
        var detections = _detector.Detect(frame)
            .Where(d => Math.Max(d.Box.Width, d.Box.Height) >= _options.MinFaceSize)
            .ToList();
        var detectMs = Stopwatch.GetElapsedTime(detectStart).TotalMilliseconds;
        if (detections.Count == 0)
        {
            return FrameAnalysis.Failed(FrameStatus.NoFace, "No face was found in the frame.", new VisionTimings(decodeMs, detectMs, 0), frame.Width, frame.Height);
        }

        var capped = detections.Count > _options.MaxFaces;
        var kept = detections.OrderByDescending(d => d.Score).Take(_options.MaxFaces).ToList();

        var classifyStart = Stopwatch.GetTimestamp();
        var crops = kept.Select(d => FaceCrop.Square(frame, d.Box, _options.FaceCropScale)).ToList();
        try
        {
            var scores = _classifier.Classify(crops);
            var faces = kept.Select((d, i) => new AnalyzedFace(d.Box, d.Score, scores[i])).ToList();
            return new FrameAnalysis
            {
                Status = FrameStatus.Ok,
                Faces = faces,
                FacesCapped = capped,
                Width = frame.Width,
                Height = frame.Height,
                Timings = new VisionTimings(decodeMs, detectMs, Stopwatch.GetElapsedTime(classifyStart).TotalMilliseconds),
            };
        }
        finally
        {
            foreach (var crop in crops)
            {
                crop.Dispose();
            }
        }
    }

    /// <summary>Returns null and the decoded BGR image, or a failed analysis (and no image).</summary>
    private FrameAnalysis? Decode(ReadOnlySpan<byte> encoded, out Mat? image)
    {
        image = null;
        if (encoded.IsEmpty)
        {
            return FrameAnalysis.Failed(FrameStatus.Empty, "The frame has no bytes.");
        }

        if (encoded.Length > _options.MaxPayloadBytes)
        {
            return FrameAnalysis.Failed(FrameStatus.TooLarge, $"The frame has {encoded.Length} bytes; the limit is {_options.MaxPayloadBytes}.");
        }

        if (!ImageHeader.TryRead(encoded, out var header))
        {
            return header.Format == ImageFormat.Unknown
                ? FrameAnalysis.Failed(FrameStatus.UnsupportedFormat, "The bytes are not a JPEG, PNG or WebP image.")
                : FrameAnalysis.Failed(FrameStatus.Undecodable, $"The {header.Format} header is truncated or invalid.");
        }

        if (header.PixelCount > _options.MaxPixels)
        {
            return FrameAnalysis.Failed(FrameStatus.DimensionsTooLarge,
                $"The image declares {header.Width}x{header.Height} pixels; the limit is {_options.MaxPixels} pixels.");
        }

        if (header.Format == ImageFormat.Jpeg && !ImageHeader.JpegHasEndMarker(encoded))
        {
            return FrameAnalysis.Failed(FrameStatus.Undecodable, "The JPEG stream is truncated (no end-of-image marker).");
        }

        if (header.Format == ImageFormat.Jpeg && JpegBudget(encoded) is { } refused)
        {
            return refused;
        }

        Mat? mat = null;
        try
        {
            mat = Cv2.ImDecode(encoded, ImreadModes.Color);
        }
        catch (OpenCVException ex)
        {
            mat?.Dispose();
            return FrameAnalysis.FromException(FrameStatus.Undecodable, ex);
        }

        if (mat.Empty() || mat.Channels() != 3)
        {
            mat.Dispose();
            return FrameAnalysis.Failed(FrameStatus.Undecodable, $"The {header.Format} image could not be decoded.");
        }

        image = mat;
        return null;
    }

    /// <summary>Refuses a JPEG whose marker structure would cost more decoding than a frame is worth; null if it may be decoded.</summary>
    private FrameAnalysis? JpegBudget(ReadOnlySpan<byte> encoded)
    {
        if (!JpegStructure.TryRead(encoded, out var jpeg))
        {
            return FrameAnalysis.Failed(FrameStatus.Undecodable, "The JPEG's segments are malformed.");
        }

        if (jpeg.Scans > _options.MaxJpegScans)
        {
            return FrameAnalysis.Failed(FrameStatus.TooComplex,
                $"The JPEG has {jpeg.Scans} scans; the limit is {_options.MaxJpegScans}. Send a baseline JPEG.");
        }

        return jpeg.PixelCount > _options.MaxPixels
            ? FrameAnalysis.Failed(FrameStatus.DimensionsTooLarge, $"The image declares {jpeg.Width}x{jpeg.Height} pixels; the limit is {_options.MaxPixels} pixels.")
            : null;
    }

    public void Dispose()
    {
        _detector.Dispose();
        _classifier.Dispose();
    }
}
