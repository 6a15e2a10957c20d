using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// Just-in-time planning of a room's queue, as plain state changes on <see cref="RoomState"/>. The queue holds what
/// people chose (added by a member, or pinned by the host's reordering), which nothing here moves, and a short plan of
/// recommendations, which is re-made when the room's mood moves beyond the hysteresis band, when members come and go,
/// when the policy changes and after every track. The head of the plan is committed a little before the current
/// track ends. Every plan steps from the target of the track now playing, so however often the room re-plans, the mood
/// walks one iso-principle step per track. Asking the recommender is the caller's job.
/// </summary>
public static class RoomPlanner
{
    public const string NoFacesNote = "no faces yet, starting from your history";

    public const string WaitingNote = "reading faces to choose the first track";

    /// <summary>Whether a re-plan may replace <paramref name="entry"/>: a planned entry that is not yet committed to play next.</summary>
    public static bool IsReplaceable(RoomState state, QueueEntry entry) => entry.IsPlanned && entry.EntryId != state.CommittedEntryId;

    /// <summary>
    /// The change worth a re-plan, or null for noise. Nothing below <see cref="RoomPlanOptions.MinConfidence"/>; a
    /// plan made before any face is re-made on the first confident reading; otherwise the mood must have moved from
    /// where the plan was made by more than <see cref="RoomPlanOptions.ReplanDistance"/>, a band that widens as the
    /// group's confidence falls (up to twice as wide at no confidence).
    /// </summary>
    public static string? MoodShift(RoomState state, GroupMood mood, RoomPlanOptions options)
    {
        if (mood.Confidence < options.MinConfidence)
        {
            return null;
        }

        if (state.PlannedFor is not { } plannedFor)
        {
            return $"first faces read: the room feels {Emotions.Names[(int)mood.Dominant]}";
        }

        var band = options.ReplanDistance * (2f - Math.Clamp(mood.Confidence, 0f, 1f));
        return plannedFor.DistanceTo(mood.Point) > band ? ChangeNote(plannedFor, mood.Point) : null;
    }

    /// <summary>The change note for a new policy.</summary>
    public static string PolicyNote(MoodPolicy policy) => policy switch
    {
        MoodPolicy.Boost => "the host chose to lift the mood",
        MoodPolicy.Calm => "the host chose to calm the room",
        _ => "the host chose to match the room",
    };

    /// <summary>How the room moved from <paramref name="from"/> to <paramref name="to"/>, along the axis it moved most.</summary>
    public static string ChangeNote(MoodPoint from, MoodPoint to)
    {
        var valence = to.Valence - from.Valence;
        var arousal = to.Arousal - from.Arousal;
        var turned = Math.Abs(valence) >= Math.Abs(arousal)
            ? valence > 0 ? "happier" : "sadder"
            : arousal > 0 ? "livelier" : "calmer";
        return $"the room turned {turned}";
    }

    /// <summary>
    /// A fresh plan of <paramref name="depth"/> picks. Recently played, playing, chosen and committed tracks, and the
    /// ones the host removed or the room disliked this session, are left out; the tracks of the current plan are not, so a pick that still fits can stay where it is.
    /// </summary>
    public static RoomRecommendationRequest Request(RoomState state, string code, GroupMood mood, IReadOnlyList<MemberMood> members, int depth)
    {
        var exclude = state.RecentTrackIds
            .Concat(state.ExcludedTrackIds)
            .Concat(state.Queue.Where(e => !IsReplaceable(state, e)).Select(e => e.Track.TrackId))
            .Concat(state.NowPlaying is { } np ? [np.Entry.Track.TrackId] : [])
            .ToHashSet();
        return new RoomRecommendationRequest(code, members, mood, state.Policy, exclude, depth, state.MoodTarget,
            AnyoneOnSpotify: state.SpotifyListeners.Count > 0);
    }

    /// <summary>
    /// Takes in a plan: the planned slots take the picks in order while chosen and committed entries keep their
    /// places. A pick already planned keeps its entry (same id, reason and note: the page does not flicker); a new one
    /// carries <paramref name="change"/>. <paramref name="plannedFor"/> is the mood the plan was made for, or null when
    /// there was no reading, in which case the picks say so instead of claiming a mood. Returns how many entries are new.
    /// </summary>
    public static int Apply(
        RoomState state, RoomRecommendationRequest request, RoomRecommendation picks, MoodPoint? plannedFor, string? change, DateTimeOffset now)
    {
        var taken = request.RecentTrackIds.ToHashSet();
        var current = state.Queue.Where(e => IsReplaceable(state, e)).ToDictionary(e => e.Track.TrackId);
        var added = 0;
        var plan = new Queue<QueueEntry>();
        foreach (var pick in picks.Tracks.Where(p => taken.Add(p.Track.TrackId)).Take(request.Count))
        {
            if (current.TryGetValue(pick.Track.TrackId, out var kept))
            {
                plan.Enqueue(kept with { Target = picks.Target });
                continue;
            }

            var reason = plannedFor is null ? NoFacesNote : pick.Reason;
            plan.Enqueue(RoomQueue.NewEntry(state, pick.Track, reason, null, "MoodGrains", now) with { Change = change, Target = picks.Target });
            added++;
        }

        var queue = new List<QueueEntry>(state.Queue.Count + plan.Count);
        foreach (var entry in state.Queue)
        {
            if (!IsReplaceable(state, entry))
            {
                queue.Add(entry);
            }
            else if (plan.TryDequeue(out var next))
            {
                queue.Add(next);
            }
        }

        queue.AddRange(plan);
        state.Queue = queue;
        state.PlannedFor = plannedFor;
        state.PlanNote = plannedFor is null ? NoFacesNote : null;
        return added;
    }

    /// <summary>Locks the head of the queue in as the next track, if it is a planned one; returns true when that changed anything.</summary>
    public static bool CommitNext(RoomState state)
    {
        if (state.Queue.Count == 0 || !state.Queue[0].IsPlanned || state.CommittedEntryId == state.Queue[0].EntryId)
        {
            return false;
        }

        state.CommittedEntryId = state.Queue[0].EntryId;
        return true;
    }

    /// <summary>When the next track should be committed: <see cref="RoomPlanOptions.CommitLead"/> before the current one ends, if it is playing.</summary>
    public static long? CommitAtServerMs(RoomState state, RoomPlanOptions options) =>
        state.NowPlaying?.EndsAtServerMs is { } end && state.Queue.Count > 0 && IsReplaceable(state, state.Queue[0])
            ? end - (long)options.CommitLead.TotalMilliseconds
            : null;
}
