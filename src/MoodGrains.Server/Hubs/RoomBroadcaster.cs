using Microsoft.AspNetCore.SignalR;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Playback;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// The server's one way out to browsers outside a hub call: pushes to a room's group or one person's connections and
/// manages group membership. With Redis configured, the backplane delivers to connections held by every other silo.
/// </summary>
public sealed class RoomBroadcaster(IHubContext<RoomHub, IRoomClient> hub)
{
    public Task RoomUpdatedAsync(RoomSnapshot snapshot) => hub.Clients.Group(RoomHub.GroupOf(snapshot.Code)).RoomUpdated(snapshot);

    public Task MoodUpdatedAsync(RoomMoodUpdate update) => hub.Clients.Group(RoomHub.GroupOf(update.Code)).MoodUpdated(update);

    public Task RemovedFromRoomAsync(string userId, string roomCode) => hub.Clients.User(userId).RemovedFromRoom(roomCode);

    public Task SpotifyPlaybackAsync(string userId, SpotifyPlaybackNotice notice) => hub.Clients.User(userId).SpotifyPlayback(notice);

    /// <summary>Stops one connection (on this silo) receiving a room's pushes.</summary>
    public Task UnsubscribeAsync(string connectionId, string roomCode) => hub.Groups.RemoveFromGroupAsync(connectionId, RoomHub.GroupOf(roomCode));
}
