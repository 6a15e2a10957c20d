using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// How much people may queue (<see cref="RoomLimitOptions"/>): a guest a few tracks at a time, everyone together a
/// bounded number, so the room's state and the snapshot pushed on every change stay small however many tracks are added.
/// </summary>
public static class RoomQueueLimits
{
    /// <summary>Refuses an addition by <paramref name="userId"/> with <see cref="RoomError.QueueFull"/> when a cap is reached.</summary>
    public static void EnsureRoomFor(RoomState state, string userId, RoomLimitOptions limits)
    {
        // Everything but MoodGrains' own short plan counts: additions, and entries the host pinned.
        var chosen = state.Queue.Count(e => !e.IsPlanned);
        if (chosen >= limits.MaxQueue)
        {
            throw new RoomException(RoomError.QueueFull, $"The queue is full ({limits.MaxQueue} tracks); add more once some have played.");
        }

        var mine = state.Queue.Count(e => e.AddedByUserId == userId);
        if (userId != state.HostUserId && mine >= limits.MaxQueuedPerMember)
        {
            throw new RoomException(
                RoomError.QueueFull, $"You have {mine} tracks waiting, the most one guest may queue; add more once one has played.");
        }
    }
}
