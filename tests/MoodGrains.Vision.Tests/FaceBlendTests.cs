using MoodGrains.Mood;

namespace MoodGrains.Vision.Tests;

public sealed class FaceBlendTests
{
    [Fact]
    public void One_face_is_its_own_reading_with_its_detection_score_as_confidence()
    {
        var face = Face(Emotion.Sad, 0.8f, new FaceBox(10, 10, 50, 60), sure: 0.7f);

        var (scores, confidence) = FaceBlend.Combine([face]);

        Assert.Equal(face.Emotions.Probabilities, scores.Probabilities, (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(0.8f, confidence);
    }

    [Fact]
    public void Faces_weigh_by_detection_score_times_the_square_root_of_their_area()
    {
        // Weights 0.9 * sqrt(100 * 100) = 90 for the happy face in front, 0.6 * sqrt(20 * 20) = 12 for the sad one behind.
        var front = Face(Emotion.Happy, 0.9f, new FaceBox(0, 0, 100, 100), sure: 1f);
        var behind = Face(Emotion.Sad, 0.6f, new FaceBox(200, 0, 20, 20), sure: 1f);

        var (scores, confidence) = FaceBlend.Combine([behind, front]);

        Assert.Equal(90f / 102f, scores[Emotion.Happy], 5);
        Assert.Equal(12f / 102f, scores[Emotion.Sad], 5);
        Assert.Equal(Emotion.Happy, scores.Dominant);
        Assert.Equal(0.9f, confidence);
        Assert.Equal(1f, scores.Probabilities.Sum(), 5);
    }

    [Fact]
    public void A_degenerate_box_still_counts_as_one_pixel()
    {
        var empty = Face(Emotion.Angry, 0.5f, new FaceBox(0, 0, 0, 0), sure: 1f);
        var (scores, _) = FaceBlend.Combine([empty]);
        Assert.Equal(1f, scores[Emotion.Angry], 5);
    }

    [Fact]
    public void No_faces_is_refused() => Assert.Throws<ArgumentException>(() => FaceBlend.Combine([]));

    private static AnalyzedFace Face(Emotion emotion, float detectionScore, FaceBox box, float sure)
    {
        var p = Enumerable.Repeat((1f - sure) / (Emotions.Count - 1), Emotions.Count).ToArray();
        p[(int)emotion] = sure;
        return new AnalyzedFace(box, detectionScore, EmotionScores.FromProbabilities(p));
    }
}
