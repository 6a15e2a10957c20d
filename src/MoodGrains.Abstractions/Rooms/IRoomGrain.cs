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

    /// <summary>Where this room is active now (the silo's address), for diagnostics and failover measurement.</summary>
    [Alias("GetLocation")]
    Task<string> GetLocationAsync();
}
