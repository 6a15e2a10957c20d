namespace MoodGrains.Abstractions.Rooms;

[GenerateSerializer, Immutable, Alias("moodgrains.RoomMember")]
public sealed record RoomMember(
    [property: Id(0)] string UserId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] DateTimeOffset JoinedAt);

/// <summary>What every member's page shows of a room; pushed whenever members, queue or playback change.</summary>
[GenerateSerializer, Immutable, Alias("moodgrains.RoomSnapshot")]
public sealed record RoomSnapshot(
    [property: Id(0)] string Code,
    [property: Id(1)] string HostUserId,
    [property: Id(2)] IReadOnlyList<RoomMember> Members,
    [property: Id(3)] bool IsSolo,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] long Version)
{
    [Id(6)]
    public IReadOnlyList<QueueEntry> Queue { get; init; } = [];

    [Id(7)]
    public NowPlaying? NowPlaying { get; init; }

    [Id(8)]
    public MoodPolicy Policy { get; init; }

    [Id(9)]
    public bool QueueLocked { get; init; }

    /// <summary>When on, guests may also play, pause, seek and skip.</summary>
    [Id(10)]
    public bool GuestControls { get; init; }

    [Id(11)]
    public GroupMood Mood { get; init; } = GroupMood.Empty;

    [Id(12)]
    public IReadOnlyList<MoodSample> Timeline { get; init; } = [];

    /// <summary>The server's clock when this snapshot was taken (Unix ms), for placing the playhead.</summary>
    [Id(13)]
    public long ServerMs { get; init; }

    /// <summary>Members whose own Spotify follows the room (user ids; devices stay private to the server).</summary>
    [Id(14)]
    public IReadOnlyList<string> SpotifyListeners { get; init; } = [];

    /// <summary>Members with no open page for the grace period: out of the mood blend, the skip votes and the listening log.</summary>
    [Id(15)]
    public IReadOnlyList<string> Away { get; init; } = [];

    /// <summary>What the plan is based on when that is not the faces, e.g. "no faces yet, starting from your history".</summary>
    [Id(16)]
    public string? PlanNote { get; init; }

    /// <summary>The entry locked in to play next (planned entries behind it may still change).</summary>
    [Id(17)]
    public string? CommittedEntryId { get; init; }

    /// <summary>People the host removed, newest last; they cannot join again.</summary>
    [Id(30)]
    public IReadOnlyList<RoomMember> Removed { get; init; } = [];
}
