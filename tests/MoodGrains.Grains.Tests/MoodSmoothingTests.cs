using MoodGrains.Abstractions.Mood;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Tests;

public sealed class MoodSmoothingTests
{
    private static readonly TimeSpan HalfLife = TimeSpan.FromSeconds(8);
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static EmotionScores OneHot(Emotion emotion)
    {
        var p = new float[Emotions.Count];
        p[(int)emotion] = 1;
        return new EmotionScores(p);
    }

    [Fact]
    public void Before_any_reading_the_mood_is_uniform_with_no_confidence()
    {
        var snapshot = MoodSnapshot.From(SmoothedMood.Empty, T0, HalfLife);
        Assert.Equal(0f, snapshot.Confidence);
        Assert.All(snapshot.Scores.Probabilities, p => Assert.Equal(1f / 7, p, 5));
    }

    [Fact]
    public void A_reading_one_half_life_old_counts_half_as_much_as_a_new_one()
    {
        var mood = SmoothedMood.Empty
            .Add(OneHot(Emotion.Sad), 1f, T0, HalfLife)
            .Add(OneHot(Emotion.Happy), 1f, T0 + HalfLife, HalfLife);

        // Weights 0.5 (sad, decayed once) and 1 (happy): happy 2/3, sad 1/3.
        Assert.Equal(2f / 3, mood.Scores[Emotion.Happy], 4);
        Assert.Equal(1f / 3, mood.Scores[Emotion.Sad], 4);
    }

    [Fact]
    public void Confidence_weights_readings()
    {
        var mood = SmoothedMood.Empty
            .Add(OneHot(Emotion.Angry), 0.25f, T0, HalfLife)
            .Add(OneHot(Emotion.Neutral), 0.75f, T0, HalfLife);

        Assert.Equal(0.25f, mood.Scores[Emotion.Angry], 4);
        Assert.Equal(Emotion.Neutral, mood.Scores.Dominant);
    }

    [Fact]
    public void Readings_without_confidence_do_not_move_the_mood()
    {
        var mood = SmoothedMood.Empty.Add(OneHot(Emotion.Happy), 1f, T0, HalfLife);
        Assert.Same(mood, mood.Add(OneHot(Emotion.Sad), 0f, T0 + TimeSpan.FromSeconds(1), HalfLife));
        Assert.Same(mood, mood.Add(OneHot(Emotion.Sad), float.NaN, T0 + TimeSpan.FromSeconds(1), HalfLife));
    }

    [Fact]
    public void Confidence_grows_with_evidence_and_fades_without_it()
    {
        var mood = SmoothedMood.Empty;
        var previous = 0f;
        for (var i = 0; i < 10; i++)
        {
            mood = mood.Add(OneHot(Emotion.Happy), 1f, T0 + TimeSpan.FromSeconds(i * 0.5), HalfLife);
            var confidence = mood.Confidence(mood.UpdatedAt, HalfLife);
            Assert.True(confidence > previous, $"confidence did not grow at reading {i}");
            previous = confidence;
        }

        Assert.True(mood.Confidence(mood.UpdatedAt + TimeSpan.FromMinutes(2), HalfLife) < 0.01f);
    }

    [Fact]
    public void A_sustained_change_takes_over_within_a_few_half_lives()
    {
        var mood = SmoothedMood.Empty;
        var t = T0;
        for (var i = 0; i < 20; i++, t += TimeSpan.FromSeconds(0.5))
        {
            mood = mood.Add(OneHot(Emotion.Sad), 1f, t, HalfLife);
        }

        for (var i = 0; i < 48; i++, t += TimeSpan.FromSeconds(0.5))
        {
            mood = mood.Add(OneHot(Emotion.Happy), 1f, t, HalfLife);
        }

        Assert.Equal(Emotion.Happy, mood.Scores.Dominant);
        Assert.True(mood.Scores[Emotion.Happy] > 0.8f);
    }

    [Fact]
    public void The_circumplex_puts_happy_pleasant_and_sad_unpleasant_and_calm()
    {
        var happy = Circumplex.ToMoodPoint(OneHot(Emotion.Happy));
        var sad = Circumplex.ToMoodPoint(OneHot(Emotion.Sad));
        Assert.Equal(new MoodPoint(0.83f, 0.53f), happy);
        Assert.True(sad.Valence < 0 && sad.Arousal < 0);
        Assert.Equal(new MoodPoint(0, 0), Circumplex.ToMoodPoint(OneHot(Emotion.Neutral)));
    }

    [Fact]
    public void Emotion_scores_are_validated_and_normalised()
    {
        Assert.Throws<ArgumentException>(() => EmotionScores.FromProbabilities([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => EmotionScores.FromProbabilities([1, 0, 0, 0, 0, 0, -1]));
        Assert.Throws<ArgumentException>(() => EmotionScores.FromProbabilities([0, 0, 0, 0, 0, 0, 0]));
        var scores = EmotionScores.FromProbabilities([2, 0, 0, 2, 0, 0, 0]);
        Assert.Equal(0.5f, scores[Emotion.Angry]);
        Assert.Equal(0.5f, scores[Emotion.Happy]);
    }
}
