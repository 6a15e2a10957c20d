using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// The room's playhead rules (play, pause, seek, advance, votes and ratings on the current entry), as plain state changes on <see cref="RoomState"/> at a given server time,
/// so they can be tested without a cluster. Authorization is the grain's job; this only knows what is valid.
/// </summary>
public static class RoomPlayback
{
    public const int RecentWindow = 50;

    /// <summary>Votes needed to skip: a strict majority of the members present (1 of 1, 2 of 2, 2 of 3, 3 of 4).</summary>
    public static int SkipVotesNeeded(int present) => (Math.Max(0, present) / 2) + 1;

    /// <summary>Starts or resumes. With nothing loaded, starts the head of the queue; returns false if there is nothing to play.</summary>
    public static bool Play(RoomState state, DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        if (state.NowPlaying is { State: PlaybackState.Paused } paused)
        {
            state.NowPlaying = paused with { State = PlaybackState.Playing, AnchorServerMs = ms };
            return true;
        }

        if (state.NowPlaying is { State: PlaybackState.Playing })
        {
            return true;
        }

        return StartNext(state, now);
    }

    public static void Pause(RoomState state, DateTimeOffset now)
    {
        if (state.NowPlaying is { State: PlaybackState.Playing } playing)
        {
            var ms = now.ToUnixTimeMilliseconds();
            state.NowPlaying = playing with { State = PlaybackState.Paused, AnchorServerMs = ms, AnchorPositionMs = playing.PositionAt(ms) };
        }
    }

    public static void Seek(RoomState state, int positionMs, DateTimeOffset now)
    {
        var current = state.NowPlaying ?? throw new RoomException(RoomError.InvalidArgument, "Nothing is playing.");
        if (positionMs < 0 || positionMs >= current.Entry.Track.DurationMs)
        {
            throw new RoomException(RoomError.InvalidArgument, $"Position must be between 0 and {current.Entry.Track.DurationMs - 1} ms.");
        }

        state.NowPlaying = current with { AnchorServerMs = now.ToUnixTimeMilliseconds(), AnchorPositionMs = positionMs };
    }

    /// <summary>
    /// Moves to the next entry (or stops when the queue is empty) and returns the entry that was playing; a track the
    /// room disliked stays out of its picks for the rest of the session.
    /// </summary>
    public static NowPlaying? Advance(RoomState state, DateTimeOffset now)
    {
        var finished = state.NowPlaying;
        if (finished is not null && RoomDisliked(finished))
        {
            RoomQueue.Exclude(state, finished.Entry.Track.TrackId);
        }

        state.NowPlaying = null;
        if (!StartNext(state, now))
        {
            state.NowPlaying = null;
        }

        return finished;
    }

    /// <summary>Members with a page open (or within the grace period): the ones who vote and whose plays are logged.</summary>
    public static int PresentCount(RoomState state) => state.Members.Count(m => state.IsPresent(m.UserId));

    public static bool HasEnded(RoomState state, DateTimeOffset now) =>
        state.NowPlaying is { EndsAtServerMs: { } end } && now.ToUnixTimeMilliseconds() >= end;

    /// <summary>Records a member's skip vote; returns true when the votes reach the threshold.</summary>
    public static bool VoteSkip(RoomState state, string userId)
    {
        var current = state.NowPlaying ?? throw new RoomException(RoomError.InvalidArgument, "Nothing is playing.");
        if (!current.SkipVoters.Contains(userId))
        {
            state.NowPlaying = current with { SkipVoters = [.. current.SkipVoters, userId] };
        }

        return RecountSkipVotes(state);
    }

    /// <summary>
    /// Sets the threshold for the members present now and drops the votes of members who left or went away (a vote
    /// is for the people listening); returns true when the votes that remain reach the threshold, as they may when
    /// someone leaves.
    /// </summary>
    public static bool RecountSkipVotes(RoomState state)
    {
        if (state.NowPlaying is not { } current)
        {
            return false;
        }

        var voters = current.SkipVoters.Where(u => state.IsPresent(u) && state.Members.Exists(m => m.UserId == u)).ToList();
        var needed = SkipVotesNeeded(PresentCount(state));
        if (voters.Count != current.SkipVoters.Count || needed != current.SkipVotesNeeded)
        {
            state.NowPlaying = current with { SkipVoters = voters, SkipVotesNeeded = needed };
        }

        return voters.Count > 0 && voters.Count >= needed;
    }

    public static void Rate(RoomState state, string userId, bool liked)
    {
        var current = state.NowPlaying ?? throw new RoomException(RoomError.InvalidArgument, "Nothing is playing.");
        var likes = current.Likes.Where(u => u != userId).ToList();
        var dislikes = current.Dislikes.Where(u => u != userId).ToList();
        (liked ? likes : dislikes).Add(userId);
        state.NowPlaying = current with { Likes = likes, Dislikes = dislikes };
    }

    /// <summary>Takes back a member's like or dislike of the current entry (pressing a lit Like again).</summary>
    public static void ClearRating(RoomState state, string userId)
    {
        var current = state.NowPlaying ?? throw new RoomException(RoomError.InvalidArgument, "Nothing is playing.");
        state.NowPlaying = current with { Likes = current.Likes.Where(u => u != userId).ToList(), Dislikes = current.Dislikes.Where(u => u != userId).ToList() };
    }

    /// <summary>Whether the room disliked an entry: more of its members disliked it than liked it.</summary>
    public static bool RoomDisliked(NowPlaying entry) => entry.Dislikes.Count > entry.Likes.Count;

    /// <summary>What a member's play of the finished entry counts as in the listening log.</summary>
    public static TrackOutcome OutcomeFor(NowPlaying finished, string userId, bool skipped) =>
        finished.Likes.Contains(userId) ? TrackOutcome.Liked
        : finished.Dislikes.Contains(userId) ? TrackOutcome.Disliked
        : skipped ? TrackOutcome.Skipped
        : TrackOutcome.Completed;

    /// <summary>The listening-log rows for a finished entry: one per member present (not away), with their mood at the end.</summary>
    public static IReadOnlyList<ListeningRecord> PlayRecords(
        RoomState state, string code, NowPlaying finished, DateTimeOffset startedAt, DateTimeOffset endedAt, bool skipped, Func<string, MoodSnapshot> moodOf) =>
        state.Members
            .Where(m => state.IsPresent(m.UserId))
            .Select(m => new ListeningRecord(
                m.UserId, finished.Entry.Track.TrackId, code, startedAt, endedAt, OutcomeFor(finished, m.UserId, skipped), moodOf(m.UserId)))
            .ToList();

    private static bool StartNext(RoomState state, DateTimeOffset now)
    {
        if (state.Queue.Count == 0)
        {
            return false;
        }

        var next = state.Queue[0];
        state.Queue.RemoveAt(0);
        state.NowPlaying = new NowPlaying(next, PlaybackState.Playing, now.ToUnixTimeMilliseconds(), 0, [], SkipVotesNeeded(PresentCount(state)), [], []);
        state.NowPlayingStartedAt = now;
        state.CommittedEntryId = null;
        if (next.Target is { } target)
        {
            // The iso walk steps on from what actually plays, not from plans that were re-made before it.
            state.MoodTarget = target;
        }

        state.RecentTrackIds.Add(next.Track.TrackId);
        if (state.RecentTrackIds.Count > RecentWindow)
        {
            state.RecentTrackIds.RemoveRange(0, state.RecentTrackIds.Count - RecentWindow);
        }

        return true;
    }
}
