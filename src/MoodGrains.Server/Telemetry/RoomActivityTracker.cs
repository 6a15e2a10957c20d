using MoodGrains.Grains.Rooms;
using Orleans.Metadata;

namespace MoodGrains.Server.Telemetry;

/// <summary>
/// Counts the room grains active on this silo by joining each room activation's lifecycle, so rooms need no
/// metrics code of their own and a deactivated (or migrated) room stops counting at once.
/// </summary>
internal sealed class RoomActivityTracker(MoodGrainsMetrics metrics) : IConfigureGrainContextProvider, IConfigureGrainContext
{
    private static readonly GrainType RoomType = GrainType.Create("room");

    public bool TryGetConfigurator(GrainType grainType, GrainProperties properties, out IConfigureGrainContext configurator)
    {
        configurator = this;
        return grainType.Equals(RoomType);
    }

    public void Configure(IGrainContext context)
    {
        var code = context.GrainId.Key.ToString()!;
        context.ObservableLifecycle.Subscribe(
            nameof(RoomActivityTracker),
            GrainLifecycleStage.Activate,
            _ =>
            {
                metrics.RoomActivated(code);
                return Task.CompletedTask;
            },
            _ =>
            {
                metrics.RoomDeactivated(code);
                return Task.CompletedTask;
            });
    }
}

/// <summary>Times every push from a room to its members' pages and remembers how many members each room holds.</summary>
internal sealed class MeteredRoomNotifier(IRoomNotifier inner, MoodGrainsMetrics metrics, TimeProvider clock) : IRoomNotifier
{
    public async Task RoomChangedAsync(Abstractions.Rooms.RoomSnapshot snapshot)
    {
        metrics.RoomMembers(snapshot.Code, snapshot.Members.Count);
        await TimeAsync("room", () => inner.RoomChangedAsync(snapshot));
    }

    public Task MoodChangedAsync(Abstractions.Rooms.RoomMoodUpdate update) => TimeAsync("mood", () => inner.MoodChangedAsync(update));

    public Task MemberRemovedAsync(string roomCode, string userId) => TimeAsync("removal", () => inner.MemberRemovedAsync(roomCode, userId));

    private async Task TimeAsync(string kind, Func<Task> push)
    {
        var started = clock.GetTimestamp();
        var succeeded = false;
        try
        {
            await push();
            succeeded = true;
        }
        finally
        {
            metrics.RoomPushed(kind, clock.GetElapsedTime(started), succeeded);
        }
    }
}
