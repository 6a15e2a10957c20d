using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// Tells a member's room how many pages they have open on this server whenever one connects or disconnects, so the
/// room can mark them away after its grace period and back when they return. Best effort: a failed report leaves the
/// member as they were, and the next connect or disconnect reports the count again.
/// </summary>
public sealed partial class RoomPresenceReporter(IGrainFactory grains, RoomSubscriptions subscriptions, ILogger<RoomPresenceReporter> logger)
{
    // One per server process: a room adds up the counts of every server, and a restarted server starts a fresh count.
    private static readonly string Source = Guid.NewGuid().ToString("N");

    public async Task ReportAsync(string userId)
    {
        try
        {
            if ((await grains.GetGrain<IUserGrain>(userId).GetProfileAsync()).CurrentRoom is { } room)
            {
                await grains.GetGrain<IRoomGrain>(room).ConnectionsChangedAsync(userId, Source, subscriptions.ConnectionCount(userId));
            }
        }
        catch (Exception e)
        {
            LogReportFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell a room that a member's connections changed")]
    private partial void LogReportFailed(Exception exception);
}
