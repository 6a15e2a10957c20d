using Microsoft.AspNetCore.SignalR;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// The silo's single way out to browsers: grains on this silo push through the hub context, and with Redis
/// configured the backplane delivers to connections held by every other silo.
/// </summary>
public sealed class SignalRRoomNotifier(IHubContext<RoomHub, IRoomClient> hub, RoomSubscriptions subscriptions, ILogger<SignalRRoomNotifier> logger) : IRoomNotifier
{
    public async Task RoomChangedAsync(RoomSnapshot snapshot)
    {
        try
        {
            await hub.Clients.Group(RoomHub.GroupOf(snapshot.Code)).RoomUpdated(snapshot);
        }
        catch (Exception e)
        {
            // A backplane hiccup must not fail the room operation that already committed; pages resync on reconnect.
            logger.LogWarning(e, "Could not push room {RoomCode} version {Version}", snapshot.Code, snapshot.Version);
        }
    }

    public async Task MoodChangedAsync(RoomMoodUpdate update)
    {
        try
        {
            await hub.Clients.Group(RoomHub.GroupOf(update.Code)).MoodUpdated(update);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not push the mood of room {RoomCode}", update.Code);
        }
    }

    public async Task MemberRemovedAsync(string roomCode, string userId)
    {
        try
        {
            await subscriptions.RevokeAsync(roomCode, userId);
            await hub.Clients.User(userId).RemovedFromRoom(roomCode);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not tell a removed member of room {RoomCode}", roomCode);
        }
    }
}
