using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Rooms;

[GenerateSerializer, Alias("moodgrains.RoomState")]
public sealed class RoomState
{
    [Id(0)]
    public bool Created { get; set; }

    [Id(1)]
    public string HostUserId { get; set; } = string.Empty;

    [Id(2)]
    public List<RoomMember> Members { get; set; } = [];

    [Id(3)]
    public bool IsSolo { get; set; }

    [Id(4)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(5)]
    public long Version { get; set; }

    [Id(6)]
    public List<QueueEntry> Queue { get; set; } = [];

    [Id(7)]
    public NowPlaying? NowPlaying { get; set; }

    /// <summary>When the current entry started (wall clock), for the listening log.</summary>
    [Id(8)]
    public DateTimeOffset NowPlayingStartedAt { get; set; }

    [Id(9)]
    public MoodPolicy Policy { get; set; }

    [Id(10)]
    public bool QueueLocked { get; set; }

    [Id(11)]
    public bool GuestControls { get; set; }

    [Id(12)]
    public List<MoodSample> Timeline { get; set; } = [];

    /// <summary>Tracks played recently, newest last: the recommender's freshness window.</summary>
    [Id(13)]
    public List<long> RecentTrackIds { get; set; } = [];

    [Id(14)]
    public long NextEntryNumber { get; set; }

    /// <summary>Where the last refill aimed in mood space; the next refill steps on from here.</summary>
    [Id(15)]
    public MoodPoint? MoodTarget { get; set; }

    /// <summary>Members who play the room on their own Spotify device.</summary>
    [Id(16)]
    public List<SpotifyListener> SpotifyListeners { get; set; } = [];

    /// <summary>The group mood the current plan was made for; null when it was made without a reading.</summary>
    [Id(17)]
    public MoodPoint? PlannedFor { get; set; }

    /// <summary>The head of the plan, locked in shortly before the current track ends.</summary>
    [Id(18)]
    public string? CommittedEntryId { get; set; }

    /// <summary>Members with no page open for the grace period.</summary>
    [Id(19)]
    public List<string> Away { get; set; } = [];

    /// <summary>A new room reads faces for a short window before its first plan.</summary>
    [Id(20)]
    public bool AwaitingFirstPlan { get; set; }

    /// <summary>What the plan is based on when it is not the faces (see <see cref="RoomPlanner"/>).</summary>
    [Id(21)]
    public string? PlanNote { get; set; }

    /// <summary>
    /// Tracks the host removed or the room disliked: kept out of the room's picks for the rest of the session, however
    /// many tracks play after (<see cref="RecentTrackIds"/> forgets).
    /// </summary>
    [Id(22)]
    public List<long> ExcludedTrackIds { get; set; } = [];

    /// <summary>People the host removed, newest last (see <see cref="RoomMembership.MaxRemembered"/>); they cannot join again.</summary>
    [Id(30)]
    public List<RoomMember> Banned { get; set; } = [];

    /// <summary>Since when nobody has been present; null while someone is. See <see cref="RoomLifetime"/>.</summary>
    [Id(31)]
    public DateTimeOffset? EmptySince { get; set; }

    /// <summary>When the room closed for standing empty; null while open. A closed room keeps only its code taken.</summary>
    [Id(32)]
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Ids of the latest commands applied, newest last, so a retried one is answered, not applied twice.</summary>
    [Id(40)]
    public List<string> RecentOperations { get; set; } = [];

    public bool IsPresent(string userId) => !Away.Contains(userId);

    /// <summary>What members see of the room (the group mood is the grain's, kept in memory only).</summary>
    public RoomSnapshot ToSnapshot(string code, GroupMood mood, long serverMs) => new(code, HostUserId, Members.ToArray(), IsSolo, CreatedAt, Version)
    {
        Queue = QueueAudibility.Noted(Queue, SpotifyListeners.Count > 0),
        NowPlaying = NowPlaying,
        Policy = Policy,
        QueueLocked = QueueLocked,
        GuestControls = GuestControls,
        Mood = mood,
        Timeline = Timeline.ToArray(),
        ServerMs = serverMs,
        SpotifyListeners = SpotifyListeners.Select(l => l.UserId).ToArray(),
        Away = Away.ToArray(),
        PlanNote = AwaitingFirstPlan ? RoomPlanner.WaitingNote : PlanNote,
        CommittedEntryId = CommittedEntryId,
        Removed = Banned.ToArray(),
    };
}
