using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;
using MoodGrains.Grains.Rooms;

namespace MoodGrains.Grains.Tests;

public sealed class RoomQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);

    private static TrackInfo Track(long id) => new(id, $"Song {id}", ["Artist"], 180_000, null, null);

    private static RoomState Room(params long[] queued)
    {
        var state = new RoomState { Created = true, HostUserId = "u0", Members = [new RoomMember("u0", "Ann", T0), new RoomMember("u1", "Bob", T0)] };
        foreach (var id in queued)
        {
            state.Queue.Add(RoomQueue.NewEntry(state, Track(id), "picked", null, "MoodGrains", T0));
        }

        return state;
    }

    private static MoodSnapshot NoMood(string userId) => MoodSnapshot.From(SmoothedMood.Empty, T0, TimeSpan.FromSeconds(8));

    [Fact]
    public void A_full_queue_needs_no_refill()
    {
        Assert.Null(RoomQueue.PlanRefill(Room(1, 2, 3, 4, 5), "ABC234", GroupMood.Empty, NoMood));
    }

    [Fact]
    public void A_refill_asks_for_the_missing_entries_and_leaves_out_recent_queued_and_playing_tracks()
    {
        var state = Room(1, 2, 3);
        RoomPlayback.Play(state, T0);
        state.RecentTrackIds.Add(99);
        state.MoodTarget = new MoodPoint(0.2f, 0.1f);
        state.Policy = MoodPolicy.Boost;

        var request = RoomQueue.PlanRefill(state, "ABC234", GroupMood.Empty, NoMood)!;

        Assert.Equal(3, request.Count);
        Assert.Equal(new long[] { 1, 2, 3, 99 }, request.RecentTrackIds.Order());
        Assert.Equal(["u0", "u1"], request.Members.Select(m => m.UserId));
        Assert.Equal((MoodPolicy.Boost, new MoodPoint(0.2f, 0.1f)), (request.Policy, request.PreviousTarget));
    }

    [Fact]
    public void Picks_are_taken_without_repeats_up_to_the_count_and_the_step_target_is_kept()
    {
        var state = Room(1, 2, 3);
        var request = RoomQueue.PlanRefill(state, "ABC234", GroupMood.Empty, NoMood)!;
        var picks = new RoomRecommendation(
            [new(Track(2), "already queued"), new(Track(7), "new"), new(Track(7), "twice"), new(Track(8), "new"), new(Track(9), "one too many")],
            new MoodPoint(0.3f, -0.1f));

        RoomQueue.ApplyRefill(state, request, picks, T0);

        Assert.Equal(new long[] { 1, 2, 3, 7, 8 }, state.Queue.Select(e => e.Track.TrackId));
        Assert.All(state.Queue.Skip(3), e => Assert.Null(e.AddedByUserId));
        Assert.Equal(new MoodPoint(0.3f, -0.1f), state.MoodTarget);
        Assert.Equal(state.Queue.Count, state.Queue.Select(e => e.EntryId).Distinct().Count());
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
        RoomQueue.Remove(state, ids[0]);
        Assert.Equal([ids[2], ids[1]], state.Queue.Select(e => e.EntryId));

        Assert.Equal(RoomError.InvalidArgument, Assert.Throws<RoomException>(() => RoomQueue.Remove(state, ids[0])).Error);
        Assert.Throws<RoomException>(() => RoomQueue.Reorder(state, ids[0], 0));
        Assert.Throws<RoomException>(() => RoomQueue.Reorder(state, ids[1], 2));
        Assert.Throws<RoomException>(() => RoomQueue.Reorder(state, ids[1], -1));
    }

    [Fact]
    public void A_new_policy_drops_the_recommenders_picks_and_keeps_peoples_additions()
    {
        var state = Room(1, 2);
        RoomQueue.AddByMember(state, "u1", Track(10), T0);

        Assert.False(RoomQueue.SetPolicy(state, MoodPolicy.Match));
        Assert.Equal(3, state.Queue.Count);
        Assert.True(RoomQueue.SetPolicy(state, MoodPolicy.Calm));

        Assert.Equal(MoodPolicy.Calm, state.Policy);
        Assert.Equal([10L], state.Queue.Select(e => e.Track.TrackId));
        Assert.Throws<RoomException>(() => RoomQueue.SetPolicy(state, (MoodPolicy)42));
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
