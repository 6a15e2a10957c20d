using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Server.Hubs;

/// <summary>What the server pushes to a browser (or any SignalR client) in a room.</summary>
public interface IRoomClient
{
    Task RoomUpdated(RoomSnapshot room);

    Task MoodUpdated(RoomMoodUpdate update);

    Task RemovedFromRoom(string roomCode);
}
