using MoodGrains.Mood;

namespace MoodGrains.Vision;

/// <summary>How a frame fared. Everything except <see cref="Ok"/> means no face reading came out of it.</summary>
public enum FrameStatus
{
    Ok = 0,

    /// <summary>Zero bytes.</summary>
    Empty,

    /// <summary>More bytes than <see cref="VisionOptions.MaxPayloadBytes"/>; not looked at.</summary>
    TooLarge,

    /// <summary>Not a JPEG, PNG or WebP stream (text, random bytes, other formats).</summary>
    UnsupportedFormat,

    /// <summary>Claims to be an image but is truncated or corrupt.</summary>
    Undecodable,

    /// <summary>The header declares more pixels than <see cref="VisionOptions.MaxPixels"/>; refused before decoding.</summary>
    DimensionsTooLarge,

    /// <summary>Decoded, but no face was found.</summary>
    NoFace,

    /// <summary>
    /// A JPEG with more scans than <see cref="VisionOptions.MaxJpegScans"/> (a progressive "decode bomb"); refused
    /// before decoding.
    /// </summary>
    TooComplex,

    /// <summary>An unexpected error inside the pipeline; logged by the caller, never thrown.</summary>
    Faulted,
}

/// <summary>A face box in frame pixels.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height)
{
    public float Area => Width * Height;

    public float IntersectionOverUnion(FaceBox other)
    {
        var x1 = Math.Max(X, other.X);
        var y1 = Math.Max(Y, other.Y);
        var x2 = Math.Min(X + Width, other.X + other.Width);
        var y2 = Math.Min(Y + Height, other.Y + other.Height);
        var intersection = Math.Max(0, x2 - x1) * Math.Max(0, y2 - y1);
        var union = Area + other.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}

/// <summary>One face: where it is, how sure the detector is, and its emotion probabilities in canonical order.</summary>
public sealed record AnalyzedFace(FaceBox Box, float DetectionScore, EmotionScores Emotions);

/// <summary>Milliseconds spent in each stage of one frame.</summary>
public readonly record struct VisionTimings(double DecodeMs, double DetectMs, double ClassifyMs)
{
    public double TotalMs => DecodeMs + DetectMs + ClassifyMs;
}

/// <summary>The result of <see cref="FrameAnalyzer.Analyze"/>: faces on success, a typed status otherwise.</summary>
public sealed record FrameAnalysis
{
    public required FrameStatus Status { get; init; }

    /// <summary>Faces by descending detection score; empty unless <see cref="Status"/> is <see cref="FrameStatus.Ok"/>.</summary>
    public IReadOnlyList<AnalyzedFace> Faces { get; init; } = [];

    /// <summary>True when the frame held more faces than <see cref="VisionOptions.MaxFaces"/> and the rest were dropped.</summary>
    public bool FacesCapped { get; init; }

    /// <summary>Decoded frame size (0 when the frame was not decoded).</summary>
    public int Width { get; init; }

    public int Height { get; init; }

    public VisionTimings Timings { get; init; }

    /// <summary>A human-readable reason for a non-Ok status, written by this library: safe to show the frame's sender.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// The exception behind a failure, for the host's logs only: its text comes from OpenCV or ONNX Runtime and may
    /// name internals (source paths, buffer sizes), so it never reaches the sender.
    /// </summary>
    public Exception? Error { get; init; }

    public bool Succeeded => Status == FrameStatus.Ok;

    internal static FrameAnalysis Failed(FrameStatus status, string detail, VisionTimings timings = default, int width = 0, int height = 0) =>
        new() { Status = status, Detail = detail, Timings = timings, Width = width, Height = height };

    /// <summary>A failure caused by an exception: a fixed sentence for the sender, the exception kept aside for logs.</summary>
    internal static FrameAnalysis FromException(FrameStatus status, Exception error, VisionTimings timings = default, int width = 0, int height = 0) =>
        new()
        {
            Status = status,
            Detail = status == FrameStatus.Undecodable ? UndecodableDetail : FaultedDetail,
            Error = error,
            Timings = timings,
            Width = width,
            Height = height,
        };

    internal const string UndecodableDetail = "The image could not be decoded.";

    internal const string FaultedDetail = "This frame could not be analysed.";
}
