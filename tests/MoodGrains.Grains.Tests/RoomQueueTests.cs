using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;

namespace MoodGrains.Grains.Tests;

public sealed class RoomQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);

    private static TrackInfo Track(long id) => new(id, $"Song {id}", ["Artist"], 180_000, null, null);

    private static RoomState Room(params long[] queued)
    {
        var state = new RoomState
        {
            Created = true,
            HostUserId = "u0",
            Members = [new RoomMember("u0", "Ann", T0), new RoomMember("u1", "Bob", T0), new RoomMember("u2", "Cy", T0)],
        };
        foreach (var id in queued)
        {
            state.Queue.Add(RoomQueue.NewEntry(state, Track(id), "picked", null, "MoodGrains", T0));
        }

        return state;
    }

    [Fact]
    public void A_members_addition_goes_behind_other_peoples_and_ahead_of_the_recommenders()
    {
        var state = Room(1, 2);

        RoomQueue.AddByMember(state, "u1", Track(10), T0);
        var second = RoomQueue.AddByMember(state, "u0", Track(11), T0);

        Assert.Equal(new long[] { 10, 11, 1, 2 }, state.Queue.Select(e => e.Track.TrackId));
        Assert.Equal(("Ann", "u0", "added by Ann"), (second.AddedBy, second.AddedByUserId, second.Reason));
    }

    [Fact]
    public void Additions_to_an_empty_or_all_human_queue_go_last()
    {
        var state = Room();
        RoomQueue.AddByMember(state, "u0", Track(10), T0);
        RoomQueue.AddByMember(state, "u1", Track(11), T0);

        Assert.Equal(new long[] { 10, 11 }, state.Queue.Select(e => e.Track.TrackId));
    }

    [Fact]
    public void Reorder_and_remove_work_on_entry_ids_and_refuse_stale_ones()
    {
        var state = Room(1, 2, 3);
        var ids = state.Queue.Select(e => e.EntryId).ToList();

        RoomQueue.Reorder(state, ids[2], 0);
        Assert.Equal([ids[2], ids[0], ids[1]], state.Queue.Select(e => e.EntryId));
        Assert.True(state.Queue[0].Pinned);
        RoomQueue.Remove(state, ids[0]);
        Assert.Equal([ids[2], ids[1]], state.Queue.Select(e => e.EntryId));
        // A removed track stays out of the next plans, for the rest of the session.
        Assert.Equal([1L], state.RecentTrackIds);
        Assert.Equal([1L], state.ExcludedTrackIds);

        Assert.Equal(RoomError.InvalidArgument, Assert.Throws<RoomException>(() => RoomQueue.Remove(state, ids[0])).Error);
        Assert.Throws<RoomException>(() => RoomQueue.Reorder(state, ids[0], 0));
        Assert.Throws<RoomException>(() => RoomQueue.Reorder(state, ids[1], 2));
        Assert.Throws<RoomException>(() => RoomQueue.Reorder(state, ids[1], -1));
    }

    [Fact]
    public void A_new_policy_is_reported_as_a_change_and_leaves_the_queue_to_the_replan()
    {
        var state = Room(1, 2);
        RoomQueue.AddByMember(state, "u1", Track(10), T0);

        Assert.False(RoomQueue.SetPolicy(state, MoodPolicy.Match));
        Assert.True(RoomQueue.SetPolicy(state, MoodPolicy.Calm));

        Assert.Equal(MoodPolicy.Calm, state.Policy);
        Assert.Equal([10L, 1, 2], state.Queue.Select(e => e.Track.TrackId));
        Assert.Throws<RoomException>(() => RoomQueue.SetPolicy(state, (MoodPolicy)42));
    }

    [Fact]
    public void A_host_move_pins_the_entry_and_additions_go_behind_a_committed_head()
    {
        var state = Room(1, 2, 3);
        var ids = state.Queue.Select(e => e.EntryId).ToList();
        state.CommittedEntryId = ids[0];

        RoomQueue.Reorder(state, ids[2], 1);
        RoomQueue.AddByMember(state, "u1", Track(10), T0);

        Assert.Equal(new long[] { 1, 3, 10, 2 }, state.Queue.Select(e => e.Track.TrackId));
        Assert.True(state.Queue[1].Pinned);
        Assert.False(state.Queue[1].IsPlanned);
        Assert.True(state.Queue[3].IsPlanned);
    }

    [Fact]
    public void Members_adding_take_turns_and_nobody_jumps_ahead_of_what_is_chosen()
    {
        var state = Room(1, 2);

        // Ann adds three before Bob adds anything: Bob's first goes behind Ann's first, not to the top nor to the end.
        RoomQueue.AddByMember(state, "u0", Track(11), T0);
        RoomQueue.AddByMember(state, "u0", Track(12), T0);
        RoomQueue.AddByMember(state, "u0", Track(13), T0);
        RoomQueue.AddByMember(state, "u1", Track(21), T0);
        Assert.Equal(new long[] { 11, 21, 12, 13, 1, 2 }, state.Queue.Select(e => e.Track.TrackId));

        RoomQueue.AddByMember(state, "u1", Track(22), T0);
        RoomQueue.AddByMember(state, "u2", Track(31), T0);
        Assert.Equal(new long[] { 11, 21, 31, 12, 22, 13, 1, 2 }, state.Queue.Select(e => e.Track.TrackId));
    }

    [Fact]
    public void Turns_start_afresh_as_additions_play_and_the_hosts_placements_stay_put()
    {
        var state = Room(1, 2);
        RoomQueue.AddByMember(state, "u0", Track(11), T0);
        RoomQueue.AddByMember(state, "u0", Track(12), T0);
        // The host moves Ann's second to the top: pinned there, and nobody's addition goes ahead of it.
        RoomQueue.Reorder(state, state.Queue[1].EntryId, 0);
        Assert.Equal(new long[] { 12, 11, 1, 2 }, state.Queue.Select(e => e.Track.TrackId));

        RoomQueue.AddByMember(state, "u1", Track(21), T0);
        RoomQueue.AddByMember(state, "u1", Track(22), T0);
        Assert.Equal(new long[] { 12, 11, 21, 22, 1, 2 }, state.Queue.Select(e => e.Track.TrackId));
        Assert.True(state.Queue[0].Pinned);

        // Ann's waiting addition (11) is her first now: her next one is in round two, beside Bob's second.
        RoomQueue.AddByMember(state, "u0", Track(13), T0);
        Assert.Equal(new long[] { 12, 11, 21, 22, 13, 1, 2 }, state.Queue.Select(e => e.Track.TrackId));
        RoomQueue.AddByMember(state, "u2", Track(31), T0);
        Assert.Equal(new long[] { 12, 11, 21, 31, 22, 13, 1, 2 }, state.Queue.Select(e => e.Track.TrackId));
    }

    [Fact]
    public void A_removed_track_is_not_picked_again_however_many_tracks_play_after()
    {
        var state = Room(1, 2);
        RoomQueue.Remove(state, state.Queue[0].EntryId);
        for (var i = 0; i < RoomPlayback.RecentWindow + 10; i++)
        {
            state.Queue.Insert(0, RoomQueue.NewEntry(state, Track(1000 + i), "picked", null, "MoodGrains", T0));
            RoomPlayback.Advance(state, T0.AddMinutes(i));
        }

        Assert.DoesNotContain(1L, state.RecentTrackIds);
        var request = RoomPlanner.Request(state, "ABC234", GroupMood.Empty, [], 3);
        Assert.Contains(1L, request.RecentTrackIds);
    }

    [Theory]
    [InlineData("  love  ", "love")]
    [InlineData("a", "a")]
    public void Searches_are_trimmed(string query, string expected) => Assert.Equal(expected, RoomQueue.ValidateSearch(query));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_and_overlong_searches_are_refused(string query)
    {
        Assert.Throws<RoomException>(() => RoomQueue.ValidateSearch(query));
        Assert.Throws<RoomException>(() => RoomQueue.ValidateSearch(new string('x', 201)));
    }
}
