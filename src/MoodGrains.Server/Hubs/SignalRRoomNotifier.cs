using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// Grains' pushes to browsers, through the <see cref="RoomBroadcaster"/>. From the grain's side a push is fire and
/// forget: it waits at most <see cref="PushWait"/> (a slow connection or a troubled backplane then finishes or fails on
/// its own), and a failed push is logged, never thrown back into the room operation that caused it.
/// </summary>
public sealed partial class SignalRRoomNotifier(RoomBroadcaster broadcaster, RoomSubscriptions subscriptions, ILogger<SignalRRoomNotifier> logger) : IRoomNotifier
{
    /// <summary>Well inside a grain call's response timeout, so a push can never turn a committed change into a timeout.</summary>
    public static readonly TimeSpan PushWait = TimeSpan.FromSeconds(1);

    public Task RoomChangedAsync(RoomSnapshot snapshot) =>
        PushAsync(() => broadcaster.RoomUpdatedAsync(snapshot), "room", snapshot.Code);

    public Task MoodChangedAsync(RoomMoodUpdate update) =>
        PushAsync(() => broadcaster.MoodUpdatedAsync(update), "mood", update.Code);

    public Task MemberRemovedAsync(string roomCode, string userId) => PushAsync(async () =>
    {
        await subscriptions.RevokeAsync(roomCode, userId);
        await broadcaster.RemovedFromRoomAsync(userId, roomCode);
    }, "removal", roomCode);

    private async Task PushAsync(Func<Task> push, string kind, string roomCode)
    {
        Task pushing;
        try
        {
            pushing = push();
        }
        catch (Exception e)
        {
            LogPushFailed(e, kind, roomCode);
            return;
        }

        try
        {
            await pushing.WaitAsync(PushWait);
        }
        catch (TimeoutException)
        {
            LogPushSlow(kind, roomCode, PushWait.TotalMilliseconds);
            _ = pushing.ContinueWith(t => LogPushFailed(t.Exception!, kind, roomCode), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception e)
        {
            // A backplane hiccup must not fail the room operation that already committed; pages resync on reconnect.
            LogPushFailed(e, kind, roomCode);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push the {Kind} of room {RoomCode}")]
    private partial void LogPushFailed(Exception exception, string kind, string roomCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} push of room {RoomCode} took over {WaitMs} ms; the room goes on without waiting for it")]
    private partial void LogPushSlow(string kind, string roomCode, double waitMs);
}
