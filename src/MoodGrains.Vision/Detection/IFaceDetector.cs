using OpenCvSharp;

namespace MoodGrains.Vision.Detection;

/// <summary>A face the detector found, before classification.</summary>
internal readonly record struct FaceDetection(FaceBox Box, float Score);

internal interface IFaceDetector : IDisposable
{
    /// <summary>Faces in a BGR frame, best first, overlapping detections already merged.</summary>
    List<FaceDetection> Detect(Mat bgr);
}
