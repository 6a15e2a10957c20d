using MoodGrains.Abstractions.Rooms;
using MoodGrains.Playback;

namespace MoodGrains.Server.Hubs;

/// <summary>What the server pushes to a browser (or any SignalR client) in a room.</summary>
public interface IRoomClient
{
    Task RoomUpdated(RoomSnapshot room);

    Task MoodUpdated(RoomMoodUpdate update);

    Task RemovedFromRoom(string roomCode);

    /// <summary>To one member: what their own Spotify is doing for the room, or why it is not.</summary>
    Task SpotifyPlayback(SpotifyPlaybackNotice notice);
}
