using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Tests;

public sealed class RoomPlaybackTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);

    private static RoomState RoomWith(int members, params int[] durationsMs)
    {
        var state = new RoomState { Created = true, HostUserId = "u0" };
        for (var i = 0; i < members; i++)
        {
            state.Members.Add(new RoomMember($"u{i}", $"Member {i}", T0));
        }

        for (var i = 0; i < durationsMs.Length; i++)
        {
            var track = new TrackInfo(100 + i, $"Song {i}", ["Artist"], durationsMs[i], null, null);
            state.Queue.Add(RoomQueue.NewEntry(state, track, "test", null, "MoodGrains", T0));
        }

        return state;
    }

    [Fact]
    public void Play_starts_the_head_of_the_queue_at_position_zero()
    {
        var state = RoomWith(1, 180_000, 200_000);
        Assert.True(RoomPlayback.Play(state, T0));
        Assert.Equal(100, state.NowPlaying!.Entry.Track.TrackId);
        Assert.Equal(0, state.NowPlaying.PositionAt(T0.ToUnixTimeMilliseconds()));
        Assert.Equal(30_000, state.NowPlaying.PositionAt(T0.AddSeconds(30).ToUnixTimeMilliseconds()));
        Assert.Single(state.Queue);
        Assert.Equal([100L], state.RecentTrackIds);
    }

    [Fact]
    public void Play_with_an_empty_queue_reports_nothing_to_play()
    {
        var state = RoomWith(1);
        Assert.False(RoomPlayback.Play(state, T0));
        Assert.Null(state.NowPlaying);
    }

    [Fact]
    public void Pause_freezes_the_playhead_and_play_resumes_from_there()
    {
        var state = RoomWith(1, 180_000);
        RoomPlayback.Play(state, T0);
        RoomPlayback.Pause(state, T0.AddSeconds(10));
        Assert.Equal(10_000, state.NowPlaying!.PositionAt(T0.AddSeconds(50).ToUnixTimeMilliseconds()));

        RoomPlayback.Play(state, T0.AddSeconds(60));
        Assert.Equal(15_000, state.NowPlaying!.PositionAt(T0.AddSeconds(65).ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void Seek_moves_the_anchor_and_rejects_positions_outside_the_track()
    {
        var state = RoomWith(1, 180_000);
        RoomPlayback.Play(state, T0);
        RoomPlayback.Seek(state, 90_000, T0.AddSeconds(1));
        Assert.Equal(91_000, state.NowPlaying!.PositionAt(T0.AddSeconds(2).ToUnixTimeMilliseconds()));
        Assert.Throws<RoomException>(() => RoomPlayback.Seek(state, 180_000, T0));
        Assert.Throws<RoomException>(() => RoomPlayback.Seek(state, -1, T0));
    }

    [Fact]
    public void A_track_ends_at_its_duration_and_advance_starts_the_next()
    {
        var state = RoomWith(1, 60_000, 70_000);
        RoomPlayback.Play(state, T0);
        Assert.False(RoomPlayback.HasEnded(state, T0.AddSeconds(59)));
        Assert.True(RoomPlayback.HasEnded(state, T0.AddSeconds(60)));

        var finished = RoomPlayback.Advance(state, T0.AddSeconds(60));
        Assert.Equal(100, finished!.Entry.Track.TrackId);
        Assert.Equal(101, state.NowPlaying!.Entry.Track.TrackId);
        Assert.Equal(0, state.NowPlaying.PositionAt(T0.AddSeconds(60).ToUnixTimeMilliseconds()));
    }

    [Fact]
    public void Advancing_past_the_last_entry_stops()
    {
        var state = RoomWith(1, 60_000);
        RoomPlayback.Play(state, T0);
        RoomPlayback.Advance(state, T0.AddSeconds(60));
        Assert.Null(state.NowPlaying);
    }

    [Fact]
    public void Reorder_and_remove_change_only_the_named_entry()
    {
        var state = RoomWith(1, 1000, 2000, 3000);
        var ids = state.Queue.Select(e => e.EntryId).ToArray();
        RoomQueue.Reorder(state, ids[2], 0);
        Assert.Equal([ids[2], ids[0], ids[1]], state.Queue.Select(e => e.EntryId));
        RoomQueue.Remove(state, ids[0]);
        Assert.Equal([ids[2], ids[1]], state.Queue.Select(e => e.EntryId));
        Assert.Throws<RoomException>(() => RoomQueue.Remove(state, ids[0]));
        Assert.Throws<RoomException>(() => RoomQueue.Reorder(state, ids[1], 5));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(10, 6)]
    [InlineData(11, 6)]
    public void The_skip_threshold_is_a_strict_majority_of_members_present(int present, int needed) =>
        Assert.Equal(needed, RoomPlayback.SkipVotesNeeded(present));

    [Fact]
    public void In_a_room_of_two_one_vote_does_not_skip()
    {
        var state = RoomWith(2, 60_000, 60_000);
        RoomPlayback.Play(state, T0);
        Assert.Equal(2, state.NowPlaying!.SkipVotesNeeded);

        Assert.False(RoomPlayback.VoteSkip(state, "u1"));
        Assert.True(RoomPlayback.VoteSkip(state, "u0"));
    }

    [Fact]
    public void Votes_of_members_who_left_or_went_away_stop_counting_and_the_threshold_follows_who_is_here()
    {
        var state = RoomWith(4, 60_000, 60_000);
        RoomPlayback.Play(state, T0);
        Assert.Equal(3, state.NowPlaying!.SkipVotesNeeded);
        Assert.False(RoomPlayback.VoteSkip(state, "u1"));
        Assert.False(RoomPlayback.VoteSkip(state, "u2"));

        // u2 goes away: 3 here need 2, and only u1's vote is left.
        state.Away.Add("u2");
        Assert.False(RoomPlayback.RecountSkipVotes(state));
        Assert.Equal(["u1"], state.NowPlaying!.SkipVoters);
        Assert.Equal(2, state.NowPlaying.SkipVotesNeeded);

        // u3 leaves: 2 here need 2; still one vote. u2 comes back: 3 here, 2 needed, and u2 must vote again.
        state.Members.RemoveAll(m => m.UserId == "u3");
        Assert.False(RoomPlayback.RecountSkipVotes(state));
        state.Away.Clear();
        Assert.False(RoomPlayback.RecountSkipVotes(state));
        Assert.Equal((1, 2), (state.NowPlaying!.SkipVoters.Count, state.NowPlaying.SkipVotesNeeded));
        Assert.True(RoomPlayback.VoteSkip(state, "u2"));
    }

    [Fact]
    public void A_member_leaving_can_make_the_remaining_votes_a_majority()
    {
        var state = RoomWith(3, 60_000, 60_000);
        RoomPlayback.Play(state, T0);
        Assert.False(RoomPlayback.VoteSkip(state, "u1"));

        state.Members.RemoveAll(m => m.UserId == "u2");
        Assert.False(RoomPlayback.RecountSkipVotes(state));
        state.Away.Add("u0");

        Assert.True(RoomPlayback.RecountSkipVotes(state));
    }

    [Fact]
    public void A_rating_can_be_taken_back()
    {
        var state = RoomWith(2, 60_000);
        RoomPlayback.Play(state, T0);
        RoomPlayback.Rate(state, "u0", liked: true);
        RoomPlayback.Rate(state, "u1", liked: false);

        RoomPlayback.ClearRating(state, "u0");
        Assert.Empty(state.NowPlaying!.Likes);
        Assert.Equal(["u1"], state.NowPlaying.Dislikes);
        RoomPlayback.ClearRating(state, "u1");
        Assert.Empty(state.NowPlaying.Dislikes);
        Assert.Equal(TrackOutcome.Completed, RoomPlayback.OutcomeFor(state.NowPlaying, "u1", skipped: false));
    }

    [Fact]
    public void A_track_the_room_disliked_stays_out_of_the_picks_after_it_ends_and_a_liked_one_does_not()
    {
        var state = RoomWith(3, 60_000, 60_000, 60_000);
        RoomPlayback.Play(state, T0);
        RoomPlayback.Rate(state, "u0", liked: false);
        RoomPlayback.Rate(state, "u1", liked: false);
        RoomPlayback.Rate(state, "u2", liked: true);
        RoomPlayback.Advance(state, T0.AddSeconds(10));
        RoomPlayback.Rate(state, "u0", liked: true);
        RoomPlayback.Rate(state, "u1", liked: false);
        RoomPlayback.Advance(state, T0.AddSeconds(20));

        Assert.Equal([100L], state.ExcludedTrackIds);
    }

    [Fact]
    public void Skip_votes_count_each_member_once_and_trigger_at_the_threshold()
    {
        var state = RoomWith(4, 60_000, 60_000);
        RoomPlayback.Play(state, T0);
        Assert.False(RoomPlayback.VoteSkip(state, "u1"));
        Assert.False(RoomPlayback.VoteSkip(state, "u1"));
        Assert.Single(state.NowPlaying!.SkipVoters);
        Assert.False(RoomPlayback.VoteSkip(state, "u2"));
        Assert.True(RoomPlayback.VoteSkip(state, "u3"));
    }

    [Fact]
    public void Ratings_decide_each_members_outcome()
    {
        var state = RoomWith(3, 60_000);
        RoomPlayback.Play(state, T0);
        RoomPlayback.Rate(state, "u0", liked: true);
        RoomPlayback.Rate(state, "u1", liked: true);
        RoomPlayback.Rate(state, "u1", liked: false);
        var np = state.NowPlaying!;
        Assert.Equal(TrackOutcome.Liked, RoomPlayback.OutcomeFor(np, "u0", skipped: true));
        Assert.Equal(TrackOutcome.Disliked, RoomPlayback.OutcomeFor(np, "u1", skipped: false));
        Assert.Equal(TrackOutcome.Skipped, RoomPlayback.OutcomeFor(np, "u2", skipped: true));
        Assert.Equal(TrackOutcome.Completed, RoomPlayback.OutcomeFor(np, "u2", skipped: false));
    }

    [Fact]
    public void The_group_mood_weights_members_by_confidence_and_measures_disagreement()
    {
        static MoodSnapshot Mood(Emotion e, float confidence)
        {
            var p = new float[Emotions.Count];
            p[(int)e] = 1;
            var scores = new EmotionScores(p);
            return new MoodSnapshot(scores, e, Circumplex.ToMoodPoint(scores), confidence, T0);
        }

        var agree = GroupMoodAggregator.Aggregate(
            new Dictionary<string, MoodSnapshot> { ["a"] = Mood(Emotion.Happy, 0.9f), ["b"] = Mood(Emotion.Happy, 0.9f) }, T0, TimeSpan.FromSeconds(8));
        var split = GroupMoodAggregator.Aggregate(
            new Dictionary<string, MoodSnapshot> { ["a"] = Mood(Emotion.Happy, 0.9f), ["b"] = Mood(Emotion.Sad, 0.3f) }, T0, TimeSpan.FromSeconds(8));

        Assert.Equal(0f, agree.Disagreement, 4);
        Assert.Equal(Emotion.Happy, split.Dominant);
        Assert.Equal(0.75f, split.Scores[Emotion.Happy], 3);
        Assert.True(split.Disagreement > 0.3f);
    }

    [Fact]
    public void A_member_whose_readings_stopped_fades_out_of_the_group_mood()
    {
        var p = new float[Emotions.Count];
        p[(int)Emotion.Sad] = 1;
        var stale = new MoodSnapshot(new EmotionScores(p), Emotion.Sad, Circumplex.PositionOf(Emotion.Sad), 0.9f, T0);
        var q = new float[Emotions.Count];
        q[(int)Emotion.Happy] = 1;
        var fresh = new MoodSnapshot(new EmotionScores(q), Emotion.Happy, Circumplex.PositionOf(Emotion.Happy), 0.5f, T0.AddMinutes(1));

        var mood = GroupMoodAggregator.Aggregate(new Dictionary<string, MoodSnapshot> { ["old"] = stale, ["new"] = fresh }, T0.AddMinutes(1), TimeSpan.FromSeconds(8));
        Assert.True(mood.Scores[Emotion.Happy] > 0.99f);
    }
}
