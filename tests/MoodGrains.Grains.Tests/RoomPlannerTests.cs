using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Tests;

public sealed class RoomPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
    private static readonly RoomPlanOptions Options = new();
    private static readonly MoodPoint Happy = Circumplex.PositionOf(Emotion.Happy);
    private static readonly MoodPoint Sad = Circumplex.PositionOf(Emotion.Sad);

    private static TrackInfo Track(long id) => new(id, $"Song {id}", ["Artist"], 180_000, null, null);

    private static RoomState Room(params long[] planned)
    {
        var state = new RoomState { Created = true, HostUserId = "u0", Members = [new RoomMember("u0", "Ann", T0)] };
        foreach (var id in planned)
        {
            state.Queue.Add(RoomQueue.NewEntry(state, Track(id), "picked", null, "MoodGrains", T0));
        }

        return state;
    }

    private static GroupMood MoodAt(MoodPoint point, float confidence) =>
        GroupMood.Empty with { Point = point, Confidence = confidence, At = T0 };

    private static RoomRecommendation Picks(MoodPoint target, params long[] ids) =>
        new(ids.Select(id => new RecommendedTrack(Track(id), $"fits {id}")).ToList(), target);

    [Fact]
    public void Noise_inside_the_band_does_not_replan_and_a_real_shift_names_its_direction()
    {
        var state = Room(1, 2, 3);
        state.PlannedFor = Happy;

        Assert.Null(RoomPlanner.MoodShift(state, MoodAt(new MoodPoint(Happy.Valence - 0.2f, Happy.Arousal), 1f), Options));
        // The same move is noise for an unsure room: the band widens as confidence falls.
        Assert.Null(RoomPlanner.MoodShift(state, MoodAt(new MoodPoint(Happy.Valence - 0.4f, Happy.Arousal), 0.3f), Options));
        Assert.Null(RoomPlanner.MoodShift(state, MoodAt(Sad, 0.1f), Options));
        Assert.Equal("the room turned sadder", RoomPlanner.MoodShift(state, MoodAt(new MoodPoint(Happy.Valence - 0.4f, Happy.Arousal), 1f), Options));
        Assert.Equal("the room turned sadder", RoomPlanner.MoodShift(state, MoodAt(Sad, 0.9f), Options));
    }

    [Theory]
    [InlineData(0f, 0f, 0.5f, 0f, "the room turned happier")]
    [InlineData(0f, 0f, 0f, -0.5f, "the room turned calmer")]
    [InlineData(0f, 0f, 0.1f, 0.5f, "the room turned livelier")]
    [InlineData(0.5f, 0f, 0f, 0.1f, "the room turned sadder")]
    public void Change_notes_follow_the_axis_the_room_moved_most(float v0, float a0, float v1, float a1, string expected) =>
        Assert.Equal(expected, RoomPlanner.ChangeNote(new MoodPoint(v0, a0), new MoodPoint(v1, a1)));

    [Fact]
    public void A_plan_made_without_faces_is_remade_on_the_first_confident_reading()
    {
        var state = Room(1);
        Assert.StartsWith("first faces read", RoomPlanner.MoodShift(state, MoodAt(Sad, 0.5f), Options), StringComparison.Ordinal);
        Assert.Null(RoomPlanner.MoodShift(state, MoodAt(Sad, 0.05f), Options));
    }

    [Fact]
    public void A_replan_keeps_chosen_pinned_and_committed_entries_in_place_and_unchanged_picks_keep_their_ids()
    {
        var state = Room(1, 2, 3, 4);
        state.Members.Add(new RoomMember("u1", "Bob", T0));
        RoomQueue.AddByMember(state, "u1", Track(10), T0);
        RoomQueue.Reorder(state, state.Queue[3].EntryId, 3);
        state.CommittedEntryId = state.Queue[1].EntryId;
        // Queue: 10 (Bob's), 1 (committed), 2 (planned), 3 (pinned), 4 (planned).
        var before = state.Queue.ToList();
        Assert.Equal(new long[] { 10, 1, 2, 3, 4 }, before.Select(e => e.Track.TrackId));

        var request = RoomPlanner.Request(state, "ABC234", MoodAt(Sad, 1f), [], 3);
        Assert.Equal(new long[] { 1, 3, 10 }, request.RecentTrackIds.Order());
        var added = RoomPlanner.Apply(state, request, Picks(Sad, 20, 4, 21, 22), Sad, "the room turned sadder", T0);

        Assert.Equal(2, added);
        Assert.Equal(new long[] { 10, 1, 20, 3, 4, 21 }, state.Queue.Select(e => e.Track.TrackId));
        Assert.Equal([before[0].EntryId, before[1].EntryId], state.Queue.Take(2).Select(e => e.EntryId));
        Assert.Equal(before[3].EntryId, state.Queue[3].EntryId);
        // Track 4 was planned already: same entry, no change note, so the page does not flicker.
        Assert.Equal((before[4].EntryId, (string?)null), (state.Queue[4].EntryId, state.Queue[4].Change));
        Assert.Equal("the room turned sadder", state.Queue[2].Change);
        Assert.Equal("fits 20", state.Queue[2].Reason);
        Assert.Equal(Sad, state.PlannedFor);
        Assert.Null(state.PlanNote);
    }

    [Fact]
    public void Picks_without_a_reading_say_so_instead_of_claiming_a_mood()
    {
        var state = Room();
        var request = RoomPlanner.Request(state, "ABC234", GroupMood.Empty, [], 3);

        RoomPlanner.Apply(state, request, Picks(new MoodPoint(0, 0), 1, 2, 3), plannedFor: null, change: null, T0);

        Assert.All(state.Queue, e => Assert.Equal(RoomPlanner.NoFacesNote, e.Reason));
        Assert.Equal(RoomPlanner.NoFacesNote, state.PlanNote);
        Assert.Null(state.PlannedFor);
    }

    [Fact]
    public void Every_replan_steps_from_what_plays_so_the_iso_walk_takes_one_step_per_track()
    {
        var state = Room();
        state.MoodTarget = Sad;
        var firstRequest = RoomPlanner.Request(state, "ABC234", MoodAt(Happy, 1f), [], 3);
        RoomPlanner.Apply(state, firstRequest, Picks(new MoodPoint(-0.5f, -0.2f), 1, 2, 3), Happy, "x", T0);
        var secondRequest = RoomPlanner.Request(state, "ABC234", MoodAt(Happy, 1f), [], 3);
        RoomPlanner.Apply(state, secondRequest, Picks(new MoodPoint(-0.5f, -0.2f), 4, 5, 6), Happy, "y", T0);

        // Re-plans do not move the walk on; only a track that starts playing does.
        Assert.Equal(Sad, secondRequest.PreviousTarget);
        Assert.Equal(Sad, state.MoodTarget);
        RoomPlayback.Play(state, T0);
        Assert.Equal(new MoodPoint(-0.5f, -0.2f), state.MoodTarget);
        Assert.Equal(new MoodPoint(-0.5f, -0.2f), RoomPlanner.Request(state, "ABC234", MoodAt(Happy, 1f), [], 3).PreviousTarget);
    }

    [Fact]
    public void The_head_is_committed_once_and_only_when_planned()
    {
        var state = Room(1, 2);
        Assert.True(RoomPlanner.CommitNext(state));
        Assert.False(RoomPlanner.CommitNext(state));
        Assert.False(RoomPlanner.IsReplaceable(state, state.Queue[0]));

        RoomPlayback.Play(state, T0);
        Assert.Null(state.CommittedEntryId);
        Assert.Equal(state.NowPlaying!.EndsAtServerMs - (long)Options.CommitLead.TotalMilliseconds, RoomPlanner.CommitAtServerMs(state, Options));

        state.Members.Add(new RoomMember("u1", "Bob", T0));
        RoomQueue.AddByMember(state, "u1", Track(10), T0);
        Assert.False(RoomPlanner.CommitNext(state));
        Assert.Null(RoomPlanner.CommitAtServerMs(state, Options));
    }

    [Fact]
    public void A_hand_picked_mood_holds_in_the_blend_while_an_old_camera_reading_fades()
    {
        var halfLife = TimeSpan.FromSeconds(8);
        var manual = MoodSnapshot.Picked(Emotion.Sad, 0.8f, T0);
        var camera = MoodSnapshot.From(SmoothedMood.Empty.Add(new EmotionScores([0, 0, 0, 1, 0, 0, 0]), 1f, T0, halfLife), T0, halfLife);

        var later = GroupMoodAggregator.Aggregate(new Dictionary<string, MoodSnapshot> { ["a"] = manual, ["b"] = camera }, T0.AddMinutes(5), halfLife);

        Assert.Equal(0.8f, later.Members.Single(m => m.UserId == "a").Weight, 3);
        Assert.True(later.Members.Single(m => m.UserId == "b").Weight < 0.001f);
        Assert.Equal(Emotion.Sad, later.Dominant);
    }

    [Fact]
    public void Presence_marks_a_member_away_only_when_every_server_reports_no_page_for_the_grace_period()
    {
        var state = Room();
        state.Members.Add(new RoomMember("u1", "Bob", T0));
        var presence = new RoomPresence();
        var grace = TimeSpan.FromSeconds(60);

        Assert.True(presence.Report("u1", "a", 1, T0));
        Assert.True(presence.Report("u1", "b", 2, T0));
        Assert.True(presence.Report("u1", "a", 0, T0));
        Assert.False(presence.Report("u1", "b", 0, T0.AddSeconds(5)));
        Assert.Equal(T0.AddSeconds(65), presence.NextDeadline(state.Away, grace));
        Assert.Empty(presence.MarkAway(state, T0.AddSeconds(64), grace));

        Assert.Equal(["u1"], presence.MarkAway(state, T0.AddSeconds(65), grace));
        Assert.False(state.IsPresent("u1"));
        Assert.Empty(presence.MarkAway(state, T0.AddSeconds(90), grace));
        Assert.Null(presence.NextDeadline(state.Away, grace));
        Assert.Equal(1, RoomPlayback.PresentCount(state));
        Assert.Equal("Bob is away", RoomPresence.AwayNote(["Bob"]));

        Assert.True(presence.Report("u1", "a", 1, T0.AddSeconds(100)));
        Assert.Null(presence.NextDeadline(state.Away, grace));
    }
}
