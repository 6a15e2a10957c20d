namespace MoodGrains.Playback.Tests;

public sealed class SpotifyFollowPlanTests
{
    private static readonly FollowedTrack First = Track("e1", 200_000);
    private static readonly FollowedTrack Second = Track("e2", 180_000);

    [Fact]
    public void A_playing_room_starts_the_track_at_the_rooms_position_when_the_call_is_made()
    {
        var desired = Target(First, playing: true, anchorMs: 1_000, positionMs: 5_000);

        var command = Assert.IsType<PlayTrackCommand>(SpotifyFollowPlan.Next(null, desired, serverNowMs: 3_000));

        Assert.Equal(desired.Track, command.Track);
        Assert.Equal("speaker", command.DeviceId);
        Assert.Equal(7_000, desired.PositionAt(3_000));
    }

    [Fact]
    public void Nothing_is_sent_again_while_the_room_plays_on_unchanged()
    {
        var playing = Target(First, playing: true, 1_000, 0);

        Assert.Null(SpotifyFollowPlan.Next(playing, playing with { }, 90_000));
        // A new publication of the same now-playing (a like or a skip vote changed the room) is no change for the device.
        Assert.Null(SpotifyFollowPlan.Next(playing, Target(First, playing: true, 1_000, 0), 90_000));
    }

    [Theory]
    [InlineData("seek")]
    [InlineData("resume")]
    [InlineData("track")]
    [InlineData("device")]
    [InlineData("ask")]
    public void Each_change_of_track_anchor_device_or_ask_sends_one_play(string change)
    {
        var applied = Target(First, playing: true, 1_000, 0);
        var desired = change switch
        {
            "seek" => applied with { Track = applied.Track! with { AnchorServerMs = 5_000, AnchorPositionMs = 60_000 } },
            "resume" => applied with { Track = applied.Track! with { AnchorServerMs = 9_000 } },
            "track" => Target(Second, playing: true, 9_000, 0),
            "device" => applied with { DeviceId = "phone" },
            _ => applied with { Request = applied.Request + 1 },
        };

        var command = Assert.IsType<PlayTrackCommand>(SpotifyFollowPlan.Next(applied, desired, 10_000));

        Assert.Equal(desired.Track, command.Track);
        Assert.Equal(desired.DeviceId, command.DeviceId);
    }

    [Fact]
    public void Pausing_or_stopping_pauses_only_a_device_the_room_started()
    {
        var playing = Target(First, playing: true, 1_000, 0);
        var paused = Target(First, playing: false, 4_000, 3_000);
        var stopped = ListenerTarget.Stopped("ROOM", "u1", "speaker");

        Assert.Equal(new PauseCommand("speaker"), SpotifyFollowPlan.Next(playing, paused, 5_000));
        Assert.Equal(new PauseCommand("speaker"), SpotifyFollowPlan.Next(playing, stopped, 5_000));
        // Following a paused room, or stopping after a refusal, must not interrupt what the person plays themselves.
        Assert.Null(SpotifyFollowPlan.Next(null, paused, 5_000));
        Assert.Null(SpotifyFollowPlan.Next(paused, stopped, 5_000));
    }

    [Fact]
    public void A_track_about_to_end_is_not_started_any_more()
    {
        var nearEnd = Target(First, playing: true, 0, First.DurationMs - SpotifyFollowPlan.EndMarginMs - 1_000);

        Assert.NotNull(SpotifyFollowPlan.Next(null, nearEnd, 0));
        Assert.Null(SpotifyFollowPlan.Next(null, nearEnd, 1_000));
    }

    [Fact]
    public void The_position_advances_only_while_playing_and_stays_within_the_track()
    {
        Assert.Equal(5_000, Target(First, playing: false, 1_000, 5_000).PositionAt(60_000));
        Assert.Equal(First.DurationMs, Target(First, playing: true, 0, 0).PositionAt(10_000_000));
        Assert.Equal(0, Target(First, playing: true, 10_000, 0).PositionAt(0));
        Assert.Equal(0, ListenerTarget.Stopped("ROOM", "u1", null).PositionAt(60_000));
    }

    private static ListenerTarget Target(FollowedTrack track, bool playing, long anchorMs, int positionMs) =>
        new("ROOM", "u1", "speaker", track with { IsPlaying = playing, AnchorServerMs = anchorMs, AnchorPositionMs = positionMs }, 1);

    private static FollowedTrack Track(string id, int durationMs) =>
        new(id, id.Length, "Song " + id, null, durationMs, false, 0, 0);
}
