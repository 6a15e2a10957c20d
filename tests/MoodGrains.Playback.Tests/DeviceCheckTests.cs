using MoodGrains.Music;

namespace MoodGrains.Playback.Tests;

/// <summary>The periodic look at a followed device: in step, drifted (start again), or taken back by the person (let go).</summary>
public sealed class DeviceCheckTests
{
    private const string RoomUri = "spotify:track:room";
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(60_000, 0)]
    [InlineData(61_999, 1_999)]
    [InlineData(58_001, -1_999)]
    public void A_device_playing_the_rooms_track_within_the_tolerance_is_left_alone(int progressMs, int expectedDrift)
    {
        Assert.Equal(DeviceVerdict.InStep, SpotifyFollowPlan.Judge(Device(true, RoomUri, progressMs), RoomUri, 60_000, Tolerance, out var drift));
        Assert.Equal(expectedDrift, drift);
    }

    [Theory]
    [InlineData(62_001, 2_001)]
    [InlineData(50_000, -10_000)]
    [InlineData(null, -60_000)]
    public void A_device_off_by_more_than_the_tolerance_has_drifted(int? progressMs, int expectedDrift)
    {
        Assert.Equal(DeviceVerdict.Drifted, SpotifyFollowPlan.Judge(Device(true, RoomUri, progressMs), RoomUri, 60_000, Tolerance, out var drift));
        Assert.Equal(expectedDrift, drift);
    }

    [Fact]
    public void A_paused_device_or_one_playing_something_else_or_nothing_was_taken_over()
    {
        Assert.Equal(DeviceVerdict.TakenOver, SpotifyFollowPlan.Judge(Device(false, RoomUri, 60_000), RoomUri, 60_000, Tolerance, out _));
        Assert.Equal(DeviceVerdict.TakenOver, SpotifyFollowPlan.Judge(Device(true, "spotify:track:theirs", 60_000), RoomUri, 60_000, Tolerance, out _));
        Assert.Equal(DeviceVerdict.TakenOver, SpotifyFollowPlan.Judge(Device(true, null, 60_000), RoomUri, 60_000, Tolerance, out _));
        Assert.Equal(DeviceVerdict.TakenOver, SpotifyFollowPlan.Judge(null, RoomUri, 60_000, Tolerance, out var drift));
        Assert.Equal(0, drift);
    }

    private static DevicePlayback Device(bool playing, string? uri, int? progressMs) => new(
        new PlaybackDevice("d1", "Speaker", "Speaker", true, false, 50),
        playing,
        progressMs,
        uri is null ? null : new ProviderTrack("id", uri, "Song", ["Artist"], null, 200_000, null, null));
}
