using MoodGrains.Abstractions.Rooms;
using MoodGrains.Server.Rooms;

namespace MoodGrains.Server.Tests;

public sealed class SpotifyFollowPlanTests
{
    private static readonly QueueEntry First = Entry("e1", 200_000);
    private static readonly QueueEntry Second = Entry("e2", 180_000);

    [Fact]
    public void A_playing_room_starts_the_track_at_the_rooms_position_when_the_call_is_made()
    {
        var desired = Target(First, Abstractions.Rooms.PlaybackState.Playing, anchorMs: 1_000, positionMs: 5_000);

        var command = Assert.IsType<PlayTrackCommand>(SpotifyFollowPlan.Next(null, desired, serverNowMs: 3_000));

        Assert.Equal(First, command.Entry);
        Assert.Equal("speaker", command.DeviceId);
        Assert.Equal(7_000, desired.PositionAt(3_000));
    }

    [Fact]
    public void Nothing_is_sent_again_while_the_room_plays_on_unchanged()
    {
        var playing = Target(First, Abstractions.Rooms.PlaybackState.Playing, 1_000, 0);

        Assert.Null(SpotifyFollowPlan.Next(playing, playing with { }, 90_000));
        // A like or a skip vote changes the room's now-playing but not what the device plays.
        Assert.Null(SpotifyFollowPlan.Next(playing, playing with { NowPlaying = playing.NowPlaying! with { Likes = ["u2"], SkipVoters = ["u3"] } }, 90_000));
    }

    [Theory]
    [InlineData("seek")]
    [InlineData("resume")]
    [InlineData("track")]
    [InlineData("device")]
    [InlineData("ask")]
    public void Each_change_of_track_anchor_device_or_ask_sends_one_play(string change)
    {
        var applied = Target(First, Abstractions.Rooms.PlaybackState.Playing, 1_000, 0);
        var desired = change switch
        {
            "seek" => applied with { NowPlaying = applied.NowPlaying! with { AnchorServerMs = 5_000, AnchorPositionMs = 60_000 } },
            "resume" => applied with { NowPlaying = applied.NowPlaying! with { AnchorServerMs = 9_000 } },
            "track" => Target(Second, Abstractions.Rooms.PlaybackState.Playing, 9_000, 0),
            "device" => applied with { DeviceId = "phone" },
            _ => applied with { Request = applied.Request + 1 },
        };

        var command = Assert.IsType<PlayTrackCommand>(SpotifyFollowPlan.Next(applied, desired, 10_000));

        Assert.Equal(desired.Entry, command.Entry);
        Assert.Equal(desired.DeviceId, command.DeviceId);
    }

    [Fact]
    public void Pausing_or_stopping_pauses_only_a_device_the_room_started()
    {
        var playing = Target(First, Abstractions.Rooms.PlaybackState.Playing, 1_000, 0);
        var paused = Target(First, Abstractions.Rooms.PlaybackState.Paused, 4_000, 3_000);
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
        var nearEnd = Target(First, Abstractions.Rooms.PlaybackState.Playing, 0, First.Track.DurationMs - SpotifyFollowPlan.EndMarginMs - 1_000);

        Assert.NotNull(SpotifyFollowPlan.Next(null, nearEnd, 0));
        Assert.Null(SpotifyFollowPlan.Next(null, nearEnd, 1_000));
    }

    private static ListenerTarget Target(QueueEntry entry, Abstractions.Rooms.PlaybackState state, long anchorMs, int positionMs) =>
        ListenerTarget.From("ROOM", new SpotifyListener("u1", "speaker"),
            new NowPlaying(entry, state, anchorMs, positionMs, [], 1, [], []));

    private static QueueEntry Entry(string id, int durationMs) =>
        new(id, new TrackInfo(id.Length, "Song " + id, ["Artist"], durationMs, null, null), "test", null, "MoodGrains", DateTimeOffset.UnixEpoch);
}
