using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>One way of turning face crops into emotion probabilities. Implementations are thread-safe.</summary>
public interface IEmotionModel : IDisposable
{
    /// <summary>Probabilities in canonical <see cref="MoodGrains.Mood.Emotion"/> order, one array per face crop (BGR or gray, any size).</summary>
    float[][] Predict(IReadOnlyList<Mat> faces);
}
