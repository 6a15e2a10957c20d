using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>The user grain on the shared in-process cluster: profile, smoothed mood and its push to the current room.</summary>
[Collection(ClusterCollection.Name)]
public sealed class UserGrainTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_display_name_is_validated_and_kept()
    {
        var user = cluster.User(ClusterFixture.NewUserId());

        var profile = await user.SetDisplayNameAsync("  Ann  ");

        Assert.Equal("Ann", profile.DisplayName);
        Assert.Equal("Ann", (await user.GetProfileAsync()).DisplayName);
        var error = await Assert.ThrowsAsync<RoomException>(() => user.SetDisplayNameAsync(""));
        Assert.Equal(RoomError.InvalidDisplayName, error.Error);
    }

    [Fact]
    public async Task Readings_build_a_mood_and_a_reading_from_the_future_counts_as_now()
    {
        var user = cluster.User(ClusterFixture.NewUserId());
        Assert.Equal(0f, (await user.GetMoodAsync()).Confidence);

        var sad = new float[Emotions.Count];
        sad[(int)Emotion.Sad] = 1f;
        var mood = await user.RecordReadingAsync(new MoodReading(new EmotionScores(sad), 0.9f, DateTimeOffset.UtcNow.AddHours(1), MoodSource.Camera));

        Assert.Equal(Emotion.Sad, mood.Scores.Dominant);
        Assert.True(mood.Confidence > 0.3f);
        Assert.True(mood.UpdatedAt <= DateTimeOffset.UtcNow);
        Assert.Equal(Emotion.Sad, (await user.GetMoodAsync()).Scores.Dominant);
    }

    [Fact]
    public async Task A_member_who_left_no_longer_moves_the_room()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        await cluster.Room(code).CreateAsync(host, "Ann", isSolo: false);
        await cluster.Room(code).JoinAsync(guest, "Bob");
        await cluster.Room(code).LeaveAsync(guest);

        var happy = new float[Emotions.Count];
        happy[(int)Emotion.Happy] = 1f;
        await cluster.User(guest).RecordReadingAsync(new MoodReading(new EmotionScores(happy), 1f, DateTimeOffset.UtcNow, MoodSource.Manual));

        Assert.Empty(cluster.Ports.Moods(code));
    }
}
