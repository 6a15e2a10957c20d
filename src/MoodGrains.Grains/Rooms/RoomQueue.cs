using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// What people do to a room's queue, as plain state changes on <see cref="RoomState"/>: where their additions go, the
/// host's reordering (which pins an entry) and removals, the policy. MoodGrains' own picks are <see cref="RoomPlanner"/>'s.
/// </summary>
public static class RoomQueue
{
    public static QueueEntry NewEntry(RoomState state, TrackInfo track, string reason, string? userId, string addedBy, DateTimeOffset now) =>
        new($"e{++state.NextEntryNumber}", track, reason, userId, addedBy, now);

    /// <summary>
    /// Added by a person: it goes behind what is already chosen and ahead of the recommender's plan, in fair turns by
    /// member. A member's k-th waiting addition is in round k, and the new one goes behind every addition of its round
    /// or an earlier one, so two members adding take turns (A1, B1, A2, B2) and nobody's addition jumps ahead of
    /// another's first. Entries the host placed (pinned) and the one committed to play next stay where they are: an
    /// addition never moves past them. A track that <paramref name="silent"/> (no audio in the room's library) says so
    /// in its reason.
    /// </summary>
    public static QueueEntry AddByMember(RoomState state, string userId, TrackInfo track, DateTimeOffset now, bool silent = false)
    {
        var member = state.Members.First(m => m.UserId == userId);
        var reason = $"added by {member.DisplayName}";
        if (silent)
        {
            reason += track.SpotifyUri is null ? " · no audio here and not on Spotify" : " · no audio here — plays on Spotify only";
        }

        var entry = NewEntry(state, track, reason, userId, member.DisplayName, now) with { NoAudioHere = silent };
        state.Queue.Insert(FairPosition(state, userId), entry);
        return entry;
    }

    /// <summary>Where a member's new addition goes: see <see cref="AddByMember"/>.</summary>
    public static int FairPosition(RoomState state, string userId)
    {
        var end = state.Queue.FindIndex(e => RoomPlanner.IsReplaceable(state, e));
        var position = end < 0 ? state.Queue.Count : end;
        var rounds = Rounds(state.Queue);
        var round = state.Queue.Count(e => IsWaitingAddition(e) && e.AddedByUserId == userId) + 1;
        while (position > 0 && IsWaitingAddition(state.Queue[position - 1]) && rounds[position - 1] > round)
        {
            position--;
        }

        return position;
    }

    /// <summary>Keeps a track out of the room's picks for the rest of the session.</summary>
    public static void Exclude(RoomState state, long trackId)
    {
        if (!state.ExcludedTrackIds.Contains(trackId))
        {
            state.ExcludedTrackIds.Add(trackId);
        }
    }

    /// <summary>A member's addition the host has not placed: the ones that take turns.</summary>
    private static bool IsWaitingAddition(QueueEntry entry) => entry.AddedByUserId is not null && !entry.Pinned;

    /// <summary>For each queue position, the round of the addition there (its member's how-many-th), 0 for other entries.</summary>
    private static int[] Rounds(List<QueueEntry> queue)
    {
        var counts = new Dictionary<string, int>();
        var rounds = new int[queue.Count];
        for (var i = 0; i < queue.Count; i++)
        {
            if (IsWaitingAddition(queue[i]))
            {
                var user = queue[i].AddedByUserId!;
                rounds[i] = counts[user] = counts.GetValueOrDefault(user) + 1;
            }
        }

        return rounds;
    }

    /// <summary>The host moves an entry; a planned one becomes the host's choice (pinned), which re-plans leave alone.</summary>
    public static void Reorder(RoomState state, string entryId, int newIndex)
    {
        var index = state.Queue.FindIndex(e => e.EntryId == entryId);
        if (index < 0)
        {
            throw new RoomException(RoomError.InvalidArgument, "That track is no longer in the queue.");
        }

        if (newIndex < 0 || newIndex >= state.Queue.Count)
        {
            throw new RoomException(RoomError.InvalidArgument, $"Queue positions run from 0 to {state.Queue.Count - 1}.");
        }

        var entry = state.Queue[index] with { Pinned = true };
        state.Queue.RemoveAt(index);
        state.Queue.Insert(newIndex, entry);
    }

    /// <summary>The host takes an entry out; its track stays out of the room's picks for the rest of the session.</summary>
    public static void Remove(RoomState state, string entryId)
    {
        var entry = state.Queue.Find(e => e.EntryId == entryId)
            ?? throw new RoomException(RoomError.InvalidArgument, "That track is no longer in the queue.");
        state.Queue.Remove(entry);
        Exclude(state, entry.Track.TrackId);
        state.RecentTrackIds.Add(entry.Track.TrackId);
        if (state.RecentTrackIds.Count > RoomPlayback.RecentWindow)
        {
            state.RecentTrackIds.RemoveAt(0);
        }
    }

    /// <summary>
    /// Sets the room's mood policy; returns true when it changed. The plan was made for the old target, so the caller
    /// re-plans; what people chose stays.
    /// </summary>
    public static bool SetPolicy(RoomState state, MoodPolicy policy)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new RoomException(RoomError.InvalidArgument, "Unknown mood policy.");
        }

        if (state.Policy == policy)
        {
            return false;
        }

        state.Policy = policy;
        return true;
    }

    /// <summary>A catalogue search a member may run: 1 to 200 characters, trimmed.</summary>
    public static string ValidateSearch(string query) =>
        string.IsNullOrWhiteSpace(query) || query.Length > 200
            ? throw new RoomException(RoomError.InvalidArgument, "Search for 1 to 200 characters.")
            : query.Trim();
}
