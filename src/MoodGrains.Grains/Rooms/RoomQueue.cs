using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// How a room's queue is planned, as plain state changes on <see cref="RoomState"/>: what a refill asks the
/// recommender for (how many, what to leave out, where the last refill aimed so the mood walks on one step at a time),
/// how the picks are taken in, and where people's own additions go. Asking the recommender is the grain's job.
/// </summary>
public static class RoomQueue
{
    /// <summary>How many entries a room keeps ahead of the now-playing.</summary>
    public const int Target = 5;

    public static QueueEntry NewEntry(RoomState state, TrackInfo track, string reason, string? userId, string addedBy, DateTimeOffset now) =>
        new($"e{++state.NextEntryNumber}", track, reason, userId, addedBy, now);

    /// <summary>
    /// The recommender request that tops the queue up to <see cref="Target"/>, or null when it is full. Recently played,
    /// queued and playing tracks are excluded so a refill never repeats one.
    /// </summary>
    public static RoomRecommendationRequest? PlanRefill(RoomState state, string code, GroupMood mood, Func<string, MoodSnapshot> moodOf)
    {
        var missing = Target - state.Queue.Count;
        if (missing <= 0)
        {
            return null;
        }

        var exclude = state.RecentTrackIds
            .Concat(state.Queue.Select(e => e.Track.TrackId))
            .Concat(state.NowPlaying is { } np ? [np.Entry.Track.TrackId] : [])
            .ToHashSet();
        var members = state.Members.Select(m => new MemberMood(m.UserId, moodOf(m.UserId), 1f)).ToList();
        return new RoomRecommendationRequest(code, members, mood, state.Policy, exclude, missing, state.MoodTarget,
            AnyoneOnSpotify: state.SpotifyListeners.Count > 0);
    }

    /// <summary>Takes in the recommender's picks for <paramref name="request"/>: remembers the step's target, appends new tracks only.</summary>
    public static void ApplyRefill(RoomState state, RoomRecommendationRequest request, RoomRecommendation picks, DateTimeOffset now)
    {
        state.MoodTarget = picks.Target;
        var taken = request.RecentTrackIds.ToHashSet();
        foreach (var pick in picks.Tracks.Where(p => taken.Add(p.Track.TrackId)).Take(request.Count))
        {
            state.Queue.Add(NewEntry(state, pick.Track, pick.Reason, null, "MoodGrains", now));
        }
    }

    /// <summary>
    /// Added by a person: it goes ahead of the recommender's picks, behind other people's additions. A track that
    /// <paramref name="silent"/> (no audio in the room's library) says so in its reason.
    /// </summary>
    public static QueueEntry AddByMember(RoomState state, string userId, TrackInfo track, DateTimeOffset now, bool silent = false)
    {
        var member = state.Members.First(m => m.UserId == userId);
        var position = state.Queue.FindIndex(e => e.AddedByUserId is null);
        var reason = $"added by {member.DisplayName}";
        if (silent)
        {
            reason += track.SpotifyUri is null ? " · no audio here and not on Spotify" : " · no audio here — plays on Spotify only";
        }

        var entry = NewEntry(state, track, reason, userId, member.DisplayName, now) with { NoAudioHere = silent };
        state.Queue.Insert(position < 0 ? state.Queue.Count : position, entry);
        return entry;
    }

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

        var entry = state.Queue[index];
        state.Queue.RemoveAt(index);
        state.Queue.Insert(newIndex, entry);
    }

    public static void Remove(RoomState state, string entryId)
    {
        if (state.Queue.RemoveAll(e => e.EntryId == entryId) == 0)
        {
            throw new RoomException(RoomError.InvalidArgument, "That track is no longer in the queue.");
        }
    }

    /// <summary>
    /// Sets the room's mood policy; returns true when it changed. The queue was chosen for the old target, so what
    /// people added stays and the recommender's picks go (the caller refills).
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
        state.Queue.RemoveAll(e => e.AddedByUserId is null);
        return true;
    }

    /// <summary>A catalogue search a member may run: 1 to 200 characters, trimmed.</summary>
    public static string ValidateSearch(string query) =>
        string.IsNullOrWhiteSpace(query) || query.Length > 200
            ? throw new RoomException(RoomError.InvalidArgument, "Search for 1 to 200 characters.")
            : query.Trim();
}
