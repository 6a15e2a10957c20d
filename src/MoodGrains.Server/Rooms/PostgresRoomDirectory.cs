using MoodGrains.Grains.Rooms;
using MoodGrains.Storage.Rooms;

namespace MoodGrains.Server.Rooms;

/// <summary>Keeps the <c>rooms</c> and <c>users</c> tables in step with the grains.</summary>
public sealed class PostgresRoomDirectory(RoomDirectoryRepository repository) : IRoomDirectory
{
    public Task RoomOpenedAsync(string roomCode, string hostUserId, bool isSolo, CancellationToken cancellationToken) =>
        repository.RoomOpenedAsync(roomCode, hostUserId, isSolo, cancellationToken);

    public Task MemberSeenAsync(string userId, string displayName, CancellationToken cancellationToken) =>
        repository.MemberSeenAsync(userId, displayName, cancellationToken);

    public Task RoomClosedAsync(string roomCode, CancellationToken cancellationToken) =>
        repository.RoomClosedAsync(roomCode, cancellationToken);
}
