using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// The per-silo way out to browsers. The server implements it over SignalR's hub context (and the Redis backplane
/// carries it to clients connected to other silos); grains never see SignalR.
/// </summary>
public interface IRoomNotifier
{
    Task RoomChangedAsync(RoomSnapshot snapshot);

    Task MoodChangedAsync(RoomMoodUpdate update);

    /// <summary>Tells one member they were removed, so their page can leave the room.</summary>
    Task MemberRemovedAsync(string roomCode, string userId);
}
