using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;

namespace MoodGrains.Grains.Tests;

public sealed class RoomMembershipTests
{
    private const string Code = "ABC234";
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);

    private static RoomState Room(int members, bool isSolo = false)
    {
        var state = RoomMembership.Create(Code, "u0", "Member 0", isSolo, new RoomState(), T0);
        for (var i = 1; i < members; i++)
        {
            RoomMembership.Join(state, Code, $"u{i}", $"Member {i}", T0.AddMinutes(i));
        }

        return state;
    }

    private static void AssertRefused(RoomError expected, Action attempt) =>
        Assert.Equal(expected, Assert.Throws<RoomException>(attempt).Error);

    [Fact]
    public void Create_makes_the_creator_host_and_only_member_and_refuses_an_existing_room()
    {
        var state = Room(1);

        Assert.True(state.Created);
        Assert.Equal("u0", state.HostUserId);
        Assert.Equal(["u0"], state.Members.Select(m => m.UserId));
        Assert.Equal(T0, state.CreatedAt);
        AssertRefused(RoomError.RoomExists, () => RoomMembership.Create(Code, "u9", "Nine", false, state, T0));
    }

    [Fact]
    public void Join_refuses_unknown_rooms_members_solo_sessions_and_full_rooms()
    {
        AssertRefused(RoomError.RoomNotFound, () => RoomMembership.Join(new RoomState(), Code, "u1", "One", T0));
        AssertRefused(RoomError.AlreadyMember, () => RoomMembership.Join(Room(2), Code, "u1", "One", T0));
        AssertRefused(RoomError.RoomFull, () => RoomMembership.Join(Room(1, isSolo: true), Code, "u1", "One", T0));

        var full = Room(RoomMembership.MaxMembers);
        Assert.Equal(50, full.Members.Count);
        AssertRefused(RoomError.RoomFull, () => RoomMembership.Join(full, Code, "late", "Late", T0));
    }

    [Fact]
    public void When_the_host_leaves_the_longest_present_member_inherits_the_room()
    {
        var state = Room(3);
        // Joined earliest of the two who stay, although listed last.
        state.Members.Reverse();

        RoomMembership.Leave(state, "u0", T0);

        Assert.Equal("u1", state.HostUserId);
        Assert.Equal(["u2", "u1"], state.Members.Select(m => m.UserId));
    }

    [Fact]
    public void Leaving_drops_the_members_spotify_follow_and_an_emptied_room_pauses()
    {
        var state = Room(1);
        RoomMembership.SetSpotifyListening(state, "u0", true, "phone");
        var track = new TrackInfo(1, "Song", ["Artist"], 180_000, null, null);
        state.Queue.Add(RoomQueue.NewEntry(state, track, "test", null, "MoodGrains", T0));
        RoomPlayback.Play(state, T0);

        RoomMembership.Leave(state, "u0", T0.AddSeconds(10));

        Assert.Empty(state.Members);
        Assert.Empty(state.SpotifyListeners);
        Assert.Equal(PlaybackState.Paused, state.NowPlaying!.State);
        Assert.Equal(10_000, state.NowPlaying.AnchorPositionMs);
    }

    [Fact]
    public void The_host_removes_others_but_not_themselves_nor_strangers()
    {
        var state = Room(2);

        AssertRefused(RoomError.InvalidArgument, () => RoomMembership.Remove(state, Code, "u0", "u0", T0));
        AssertRefused(RoomError.NotMember, () => RoomMembership.Remove(state, Code, "u0", "stranger", T0));
        RoomMembership.Remove(state, Code, "u0", "u1", T0);

        Assert.Equal(["u0"], state.Members.Select(m => m.UserId));
        Assert.Equal("u0", state.HostUserId);
    }

    [Fact]
    public void Hosting_is_handed_only_to_members()
    {
        var state = Room(2);

        AssertRefused(RoomError.NotMember, () => RoomMembership.TransferHost(state, "stranger"));
        RoomMembership.TransferHost(state, "u1");

        Assert.Equal("u1", state.HostUserId);
    }

    [Fact]
    public void Each_spotify_start_is_a_new_request_and_device_ids_are_checked()
    {
        var state = Room(1);

        RoomMembership.SetSpotifyListening(state, "u0", true, " ");
        Assert.Null(Assert.Single(state.SpotifyListeners).DeviceId);
        RoomMembership.SetSpotifyListening(state, "u0", true, "phone");

        var listener = Assert.Single(state.SpotifyListeners);
        Assert.Equal(("phone", 2), (listener.DeviceId, listener.Request));
        AssertRefused(RoomError.InvalidArgument, () => RoomMembership.SetSpotifyListening(state, "u0", true, new string('d', 257)));

        RoomMembership.SetSpotifyListening(state, "u0", false, null);
        Assert.Empty(state.SpotifyListeners);
    }

    [Fact]
    public void Controls_belong_to_the_host_unless_opened_to_guests_and_a_locked_queue_only_takes_the_hosts_additions()
    {
        var state = Room(2);

        RoomMembership.EnsureCanControl(state, Code, "u0");
        AssertRefused(RoomError.NotHost, () => RoomMembership.EnsureCanControl(state, Code, "u1"));
        AssertRefused(RoomError.NotMember, () => RoomMembership.EnsureCanControl(state, Code, "stranger"));
        state.GuestControls = true;
        RoomMembership.EnsureCanControl(state, Code, "u1");

        RoomMembership.EnsureCanAdd(state, Code, "u1");
        state.QueueLocked = true;
        RoomMembership.EnsureCanAdd(state, Code, "u0");
        AssertRefused(RoomError.NotHost, () => RoomMembership.EnsureCanAdd(state, Code, "u1"));

        AssertRefused(RoomError.NotHost, () => RoomMembership.EnsureHost(state, Code, "u1"));
        AssertRefused(RoomError.RoomNotFound, () => RoomMembership.EnsureMember(new RoomState(), Code, "u0"));
    }
}
