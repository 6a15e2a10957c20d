using MoodGrains.Mood;
using MoodGrains.Recommendations.Content;
using MoodGrains.Recommendations.Mood;
using MoodGrains.Testing;
using MoodGrains.Training.Recommendations;

namespace MoodGrains.Recommendations.Tests;

public sealed class MoodAndContentTests
{
    private static readonly MoodPoint SadMood = Circumplex.PositionOf(Emotion.Sad);

    [Theory]
    [InlineData(MoodTargetPolicy.Boost)]
    [InlineData(MoodTargetPolicy.Calm)]
    public void Trajectory_starts_at_the_listener_and_moves_at_most_one_step_per_track(MoodTargetPolicy policy)
    {
        var options = new IsoPrincipleOptions { StepPerTrack = 0.2f };
        var trajectory = new MoodTrajectory(policy, options);
        var goal = MoodTrajectory.GoalOf(policy, SadMood);

        var previous = trajectory.NextTarget(SadMood, confidence: 0);
        Assert.Equal(SadMood, previous);
        for (var track = 0; track < 30; track++)
        {
            var next = trajectory.NextTarget(SadMood, confidence: 0);
            Assert.True(next.DistanceTo(previous) <= options.StepPerTrack + 1e-5f);
            Assert.True(next.DistanceTo(goal) <= previous.DistanceTo(goal) + 1e-5f);
            previous = next;
        }

        Assert.Equal(0f, previous.DistanceTo(goal), 4);
    }

    [Fact]
    public void Boost_reaches_the_happy_position_only_after_several_tracks()
    {
        var trajectory = new MoodTrajectory(MoodTargetPolicy.Boost, new IsoPrincipleOptions { StepPerTrack = 0.15f });
        var happy = Circumplex.PositionOf(Emotion.Happy);
        var tracks = 0;
        var point = trajectory.NextTarget(SadMood, 0);
        while (point.DistanceTo(happy) > 1e-4f)
        {
            point = trajectory.NextTarget(SadMood, 0);
            tracks++;
        }

        // Distance sad -> happy is 1.68, so ceil(1.68 / 0.15) = 12 steps.
        Assert.Equal((int)Math.Ceiling(SadMood.DistanceTo(happy) / 0.15f), tracks);
    }

    [Fact]
    public void Match_follows_a_confident_listener_but_still_moves_gradually()
    {
        var trajectory = new MoodTrajectory(MoodTargetPolicy.Match, new IsoPrincipleOptions { StepPerTrack = 0.1f, ObservationPull = 1f });
        var start = trajectory.NextTarget(SadMood, 1);
        var happy = Circumplex.PositionOf(Emotion.Happy);
        var next = trajectory.NextTarget(happy, 1);
        Assert.Equal(happy, next);
        Assert.Equal(SadMood, start);
    }

    [Fact]
    public void Content_map_handles_missing_features()
    {
        var map = ContentMoodMap.Default;
        Assert.Null(map.Predict(TrackFeatures.None));
        var onlyEnergy = map.Predict(new TrackFeatures(null, 0.95f, null, null, null));
        var calmOnlyEnergy = map.Predict(new TrackFeatures(null, 0.05f, null, null, null));
        Assert.NotNull(onlyEnergy);
        Assert.True(onlyEnergy!.Value.Arousal > calmOnlyEnergy!.Value.Arousal);
        var nan = map.Predict(new TrackFeatures(float.NaN, 0.5f, null, null, null));
        Assert.True(float.IsFinite(nan!.Value.Valence) && float.IsFinite(nan.Value.Arousal));
    }

    [Fact]
    public void Content_map_fit_recovers_a_linear_relation()
    {
        // Labels decided by energy and valence alone: the fitted map must put them on the right sides.
        var random = new Random(3);
        var tracks = new List<LabelledTrack>();
        for (var n = 0; n < 400; n++)
        {
            var valence = (float)random.NextDouble();
            var energy = (float)random.NextDouble();
            var label = (valence > 0.5, energy > 0.5) switch
            {
                (true, true) => MoodLabel.Happy,
                (false, false) => MoodLabel.Sad,
                (false, true) => MoodLabel.Energetic,
                _ => MoodLabel.Calm,
            };
            tracks.Add(new LabelledTrack("t", "a", new TrackFeatures(valence, energy, 0.5f, (float)random.NextDouble(), 120), label));
        }

        var map = ContentMoodMapFitter.Fit(tracks);
        Assert.True(map.LabelAccuracy(tracks) > 0.6);
        var loud = map.Predict(new TrackFeatures(0.5f, 0.9f, 0.5f, 0.5f, 120))!.Value;
        var quiet = map.Predict(new TrackFeatures(0.5f, 0.1f, 0.5f, 0.5f, 120))!.Value;
        Assert.True(loud.Arousal > quiet.Arousal);
    }

    [SharedDataFact]
    public void Shipped_content_map_is_the_fit_of_data_moods()
    {
        var tracks = MoodDatasetCsv.Load(SharedData.PathOf("spotify-catalog/data_moods.csv")!);
        Assert.Equal(686, tracks.Count);
        var refit = ContentMoodMapFitter.Fit(tracks);
        for (var w = 0; w <= TrackFeatures.Count; w++)
        {
            Assert.Equal(refit.ValenceWeights[w], ContentMoodMap.Default.ValenceWeights[w], 3);
            Assert.Equal(refit.ArousalWeights[w], ContentMoodMap.Default.ArousalWeights[w], 3);
        }

        Assert.True(ContentMoodMap.Default.LabelAccuracy(tracks) > 0.45);
    }

    [Theory]
    [InlineData("Chillout", MoodLabel.Calm)]
    [InlineData("sad", MoodLabel.Sad)]
    [InlineData("energetic", MoodLabel.Energetic)]
    [InlineData("happy", MoodLabel.Happy)]
    public void Last_fm_mood_tags_map_to_labels(string tag, MoodLabel expected) => Assert.Equal(expected, MoodLabels.FromTag(tag));

    [Fact]
    public void Genre_tags_are_not_moods() => Assert.Null(MoodLabels.FromTag("death metal"));
}
