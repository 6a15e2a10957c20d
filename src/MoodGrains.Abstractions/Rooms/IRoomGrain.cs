using MoodGrains.Abstractions.Mood;
using MoodGrains.Mood;
using Orleans.Concurrency;

namespace MoodGrains.Abstractions.Rooms;

/// <summary>A party room (or a solo session), keyed by its room code.</summary>
[Alias("moodgrains.IRoomGrain")]
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>Opens the room with its first member as host. Fails with <see cref="RoomError.RoomExists"/> if the code is taken.</summary>
    [Alias("Create")]
    Task<RoomSnapshot> CreateAsync(string hostUserId, string hostDisplayName, bool isSolo);

    [Alias("Join")]
    Task<RoomSnapshot> JoinAsync(string userId, string displayName);

    [Alias("Leave")]
    Task<RoomSnapshot> LeaveAsync(string userId);

    [Alias("TransferHost")]
    Task<RoomSnapshot> TransferHostAsync(string callerUserId, string newHostUserId);

    [Alias("RemoveMember")]
    Task<RoomSnapshot> RemoveMemberAsync(string callerUserId, string memberUserId);

    [Alias("GetSnapshot")]
    Task<RoomSnapshot> GetSnapshotAsync();

    /// <summary>A member's smoothed mood changed; pushed by their user grain, never polled.</summary>
    [Alias("UpdateMemberMood")]
    Task UpdateMemberMoodAsync(string userId, MoodSnapshot mood);

    /// <summary>
    /// A member picks how they feel (null clears it). It holds until changed, cleared or replaced by a camera reading.
    /// Fails with <see cref="RoomError.NotMember"/> for a non-member, <see cref="RoomError.InvalidArgument"/> for a value outside the set.
    /// </summary>
    [Alias("SetManualMood")]
    Task<MoodSnapshot> SetManualMoodAsync(string userId, Emotion? emotion);

    /// <summary>
    /// How many connections <paramref name="userId"/> has open on one server (<paramref name="source"/>); a member with
    /// none anywhere for the grace period is away. Sent by the hub on connect and disconnect.
    /// </summary>
    [Alias("ConnectionsChanged")]
    Task ConnectionsChangedAsync(string userId, string source, int count);

    [Alias("Play")]
    Task<RoomSnapshot> PlayAsync(string callerUserId);

    [Alias("Pause")]
    Task<RoomSnapshot> PauseAsync(string callerUserId);

    [Alias("Seek")]
    Task<RoomSnapshot> SeekAsync(string callerUserId, int positionMs);

    [Alias("Skip")]
    Task<RoomSnapshot> SkipAsync(string callerUserId);

    [Alias("VoteSkip")]
    Task<RoomSnapshot> VoteSkipAsync(string callerUserId);

    [Alias("Rate")]
    Task<RoomSnapshot> RateAsync(string callerUserId, bool liked);

    [Alias("MoveEntry")]
    Task<RoomSnapshot> MoveEntryAsync(string callerUserId, string entryId, int newIndex);

    [Alias("RemoveEntry")]
    Task<RoomSnapshot> RemoveEntryAsync(string callerUserId, string entryId);

    [Alias("AddTrack")]
    Task<RoomSnapshot> AddTrackAsync(string callerUserId, long trackId);

    [Alias("SetQueueLocked")]
    Task<RoomSnapshot> SetQueueLockedAsync(string callerUserId, bool locked);

    [Alias("SetGuestControls")]
    Task<RoomSnapshot> SetGuestControlsAsync(string callerUserId, bool enabled);

    [Alias("SetPolicy")]
    Task<RoomSnapshot> SetPolicyAsync(string callerUserId, MoodPolicy policy);

    /// <summary>
    /// A member turns playing the room on their own Spotify on or off (any member, for themselves only). The caller
    /// checks beforehand that the member has linked Spotify; the room then hands their device one track at a time.
    /// </summary>
    [Alias("SetSpotifyListening")]
    Task<RoomSnapshot> SetSpotifyListeningAsync(string userId, bool enabled, string? deviceId);

    /// <summary>
    /// Refuses (<see cref="RoomError.NotMember"/>, <see cref="RoomError.RoomNotFound"/>, <see cref="RoomError.RoomClosed"/>)
    /// unless <paramref name="userId"/> is a member. Interleaved: it only reads, so work done outside the room on a
    /// member's behalf (a catalogue search) never waits for the room's turn.
    /// </summary>
    [Alias("EnsureMember"), AlwaysInterleave]
    Task EnsureMemberAsync(string userId);

    /// <summary>Where this room is active now (the silo's address), for diagnostics and failover measurement.</summary>
    [Alias("GetLocation")]
    Task<string> GetLocationAsync();

    /// <summary>Takes back the caller's like or dislike of the current track (pressing a lit Like or Dislike again).</summary>
    [Alias("ClearRating")]
    Task<RoomSnapshot> ClearRatingAsync(string callerUserId);
}
