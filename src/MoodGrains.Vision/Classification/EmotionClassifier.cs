using MoodGrains.Mood;
using OpenCvSharp;

namespace MoodGrains.Vision.Classification;

/// <summary>
/// Turns face crops into <see cref="EmotionScores"/> with the configured <see cref="IEmotionModel"/>: mini-Xception,
/// face-api's expression net, the stacked ensemble of both, the FER head over face-api's backbone features, our own
/// CNN, or a geometric-mean combination of them (see <see cref="EmotionModelKind"/>). Thread-safe.
/// </summary>
public sealed class EmotionClassifier(EmotionModelKind kind, IEmotionModel model) : IDisposable
{
    public EmotionModelKind Kind => kind;

    /// <summary>Loads only what <see cref="VisionOptions.EmotionModel"/> needs.</summary>
    public static EmotionClassifier Create(VisionOptions options) => new(options.EmotionModel, EmotionModelFactory.Create(options));

    /// <summary>Probabilities for each face crop (BGR or gray, any size), by the configured model.</summary>
    public EmotionScores[] Classify(IReadOnlyList<Mat> faces) =>
        faces.Count == 0 ? [] : [.. model.Predict(faces).Select(p => new EmotionScores(p))];

    public void Dispose() => model.Dispose();
}
