using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;

namespace MoodGrains.Grains.Tests;

/// <summary>The rules behind a room's limits, without a cluster: bans, votes of people gone, queue caps, lifetime.</summary>
public sealed class RoomLimitRulesTests
{
    private const string Code = "ABC234";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
    private static readonly TrackInfo Track = new(1, "Song", ["Band"], 180_000, null, null);

    private static RoomState Room(int members)
    {
        var state = RoomMembership.Create(Code, "u0", "Member 0", false, new RoomState(), T0);
        for (var i = 1; i < members; i++)
        {
            RoomMembership.Join(state, Code, $"u{i}", $"Member {i}", T0);
        }

        return state;
    }

    [Fact]
    public void A_removed_member_is_remembered_and_refused_and_the_list_stays_bounded()
    {
        var state = Room(2);

        RoomMembership.Remove(state, Code, "u0", "u1", T0.AddMinutes(1));

        Assert.Equal([("u1", "Member 1", T0.AddMinutes(1))], state.Banned.Select(m => (m.UserId, m.DisplayName, m.JoinedAt)));
        Assert.Equal(RoomError.Banned, Assert.Throws<RoomException>(() => RoomMembership.Join(state, Code, "u1", "Again", T0)).Error);
        // Leaving of one's own accord is no ban.
        RoomMembership.Join(state, Code, "u2", "Two", T0);
        RoomMembership.Leave(state, "u2", T0);
        RoomMembership.Join(state, Code, "u2", "Two", T0);

        for (var i = 0; i < RoomMembership.MaxRemembered + 5; i++)
        {
            RoomMembership.Join(state, Code, $"v{i}", "Visitor", T0);
            RoomMembership.Remove(state, Code, "u0", $"v{i}", T0);
        }

        Assert.Equal(RoomMembership.MaxRemembered, state.Banned.Count);
        Assert.Equal($"v{RoomMembership.MaxRemembered + 4}", state.Banned[^1].UserId);
    }

    [Fact]
    public void A_member_who_leaves_takes_their_vote_and_ratings_off_the_track_and_one_away_their_vote()
    {
        var state = Room(4);
        RoomQueue.AddByMember(state, "u0", Track, T0);
        Assert.True(RoomPlayback.Play(state, T0));
        state.NowPlaying = state.NowPlaying! with { SkipVoters = ["u1", "u2", "u3"], Likes = ["u1", "u2"], Dislikes = ["u3"] };

        RoomMembership.Leave(state, "u1", T0);
        RoomMembership.DropVotes(state, ["u3"]);

        Assert.Equal(["u2"], state.NowPlaying!.SkipVoters);
        Assert.Equal(["u2"], state.NowPlaying.Likes);
        Assert.Equal(["u3"], state.NowPlaying.Dislikes);
    }

    [Fact]
    public void Additions_stop_at_the_per_guest_cap_and_at_the_total_and_the_host_only_at_the_total()
    {
        var limits = new RoomLimitOptions { MaxQueuedPerMember = 2, MaxQueue = 3 };
        var state = Room(3);
        void Add(string userId)
        {
            RoomQueueLimits.EnsureRoomFor(state, userId, limits);
            RoomQueue.AddByMember(state, userId, Track, T0);
        }

        Add("u1");
        Add("u1");
        Assert.Equal(RoomError.QueueFull, Assert.Throws<RoomException>(() => Add("u1")).Error);
        Add("u0");
        Assert.Contains("queue is full", Assert.Throws<RoomException>(() => Add("u2")).Message, StringComparison.Ordinal);
        Assert.Contains("queue is full", Assert.Throws<RoomException>(() => Add("u0")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_room_closes_after_its_idle_period_and_frees_its_code_after_another()
    {
        var limits = new RoomLimitOptions { CloseWhenEmptyFor = TimeSpan.FromHours(24), FreeCodeAfter = TimeSpan.FromDays(7) };
        var state = Room(2);
        Assert.Equal(RoomLifetime.PresenceChange.None, RoomLifetime.NotePresence(state, T0));
        state.Away.AddRange(["u0", "u1"]);

        Assert.Equal(RoomLifetime.PresenceChange.Emptied, RoomLifetime.NotePresence(state, T0));
        Assert.Equal(RoomLifetime.PresenceChange.None, RoomLifetime.NotePresence(state, T0.AddHours(1)));
        Assert.Equal(T0, state.EmptySince);
        Assert.Equal(T0.AddHours(24), RoomLifetime.NextDue(state, limits));
        Assert.Equal(RoomEnding.None, RoomLifetime.Due(state, limits, T0.AddHours(23)));
        Assert.Equal(RoomEnding.Close, RoomLifetime.Due(state, limits, T0.AddHours(24)));

        state.Away.Remove("u1");
        Assert.Equal(RoomLifetime.PresenceChange.Refilled, RoomLifetime.NotePresence(state, T0.AddHours(2)));
        Assert.Equal(RoomEnding.None, RoomLifetime.Due(state, limits, T0.AddDays(30)));

        var closed = RoomLifetime.Closed(state, T0.AddDays(1));
        Assert.Empty(closed.Members);
        Assert.Equal(RoomError.RoomClosed, Assert.Throws<RoomException>(() => RoomMembership.Join(closed, Code, "u9", "Nine", T0)).Error);
        Assert.Equal(RoomError.RoomExists, Assert.Throws<RoomException>(() => RoomMembership.Create(Code, "u9", "Nine", false, closed, T0)).Error);
        Assert.Equal(RoomEnding.None, RoomLifetime.Due(closed, limits, T0.AddDays(7)));
        Assert.Equal(RoomEnding.FreeCode, RoomLifetime.Due(closed, limits, T0.AddDays(8)));
    }
}
