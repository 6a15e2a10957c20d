using MoodGrains.Mood;

namespace MoodGrains.Vision;

/// <summary>
/// Several faces on one webcam (people sharing a laptop) make one reading: faces weighted by detection score and the
/// square root of their area, so the person in front counts most; confidence is the best face's detection score.
/// </summary>
public static class FaceBlend
{
    /// <exception cref="ArgumentException">when <paramref name="faces"/> is empty.</exception>
    public static (EmotionScores Scores, float Confidence) Combine(IReadOnlyList<AnalyzedFace> faces)
    {
        if (faces.Count == 0)
        {
            throw new ArgumentException("A blend needs at least one face.", nameof(faces));
        }

        var sums = new float[Emotions.Count];
        foreach (var face in faces)
        {
            var weight = face.DetectionScore * MathF.Sqrt(Math.Max(face.Box.Area, 1f));
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] += weight * face.Emotions.Probabilities[i];
            }
        }

        return (EmotionScores.FromProbabilities(sums), faces.Max(f => f.DetectionScore));
    }
}
