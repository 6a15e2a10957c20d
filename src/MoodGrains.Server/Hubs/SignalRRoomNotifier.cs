using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// Grains' pushes to browsers, through the <see cref="RoomBroadcaster"/>; a failed push is logged, never thrown back
/// into the room operation that caused it.
/// </summary>
public sealed class SignalRRoomNotifier(RoomBroadcaster broadcaster, RoomSubscriptions subscriptions, ILogger<SignalRRoomNotifier> logger) : IRoomNotifier
{
    public async Task RoomChangedAsync(RoomSnapshot snapshot)
    {
        try
        {
            await broadcaster.RoomUpdatedAsync(snapshot);
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
            await broadcaster.MoodUpdatedAsync(update);
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
            await broadcaster.RemovedFromRoomAsync(userId, roomCode);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not tell a removed member of room {RoomCode}", roomCode);
        }
    }
}
