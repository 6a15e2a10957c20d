using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// Grain calls made on behalf of a person, retried through the seconds in which the cluster moves a grain off a
/// dead silo, so a failover shows as a short delay rather than an error. A timed-out call may still have been applied, so
/// each request carries one operation id (<see cref="OperationIds"/>) through all its attempts; the room grain answers a
/// repeat of a command it already applied instead of applying it twice.
/// </summary>
public sealed class GrainCalls(IGrainFactory grains, ILogger<GrainCalls> logger)
{
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(20);

    public string NormalizeCode(string? roomCode) =>
        RoomCode.TryNormalize(roomCode, out var code)
            ? code
            : throw new RoomException(RoomError.InvalidRoomCode, $"A room code is {RoomCode.Length} letters and digits, like {RoomCode.NewCode()}.");

    public async Task<RoomSnapshot> CreateRoomAsync(string userId, string displayName, bool solo)
    {
        // A fresh code collides with an open room about once in millions; try a few before giving up.
        for (var attempt = 0; ; attempt++)
        {
            var code = RoomCode.NewCode();
            try
            {
                return await RetryAsync(() => grains.GetGrain<IRoomGrain>(code).CreateAsync(userId, displayName, solo));
            }
            catch (RoomException e) when (e.Error == RoomError.RoomExists && attempt < 5)
            {
                logger.LogDebug("Room code {RoomCode} taken, drawing another", code);
            }
        }
    }

    /// <summary>
    /// The room as its member <paramref name="userId"/> sees it. Anyone else is told there is no such room, in the same
    /// words as for a code nobody uses, so reading rooms cannot be used to find which codes are open.
    /// </summary>
    public async Task<RoomSnapshot> ReadRoomAsMemberAsync(string userId, string? roomCode)
    {
        var code = NormalizeCode(roomCode);
        var unknown = new RoomException(RoomError.RoomNotFound, $"There is no room with the code {code}.");
        RoomSnapshot snapshot;
        try
        {
            snapshot = await RetryAsync(() => grains.GetGrain<IRoomGrain>(code).GetSnapshotAsync());
        }
        catch (RoomException e) when (e.Error is RoomError.RoomNotFound or RoomError.RoomClosed)
        {
            throw unknown;
        }

        return snapshot.Members.Any(m => m.UserId == userId) ? snapshot : throw unknown;
    }

    /// <summary>Calls the room <paramref name="roomCode"/> names (normalized first, so a bad code is refused as such).</summary>
    public Task<T> OnRoomAsync<T>(string? roomCode, Func<IRoomGrain, Task<T>> call)
    {
        var room = grains.GetGrain<IRoomGrain>(NormalizeCode(roomCode));
        return RetryAsync(() => call(room));
    }

    public async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var started = TimeProvider.System.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        var operation = OperationIds.NewId();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // The same id on every attempt, and on no call made after this request.
                RequestContext.Set(OperationIds.RequestContextKey, operation);
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && TimeProvider.System.GetElapsedTime(started) < RetryBudget)
            {
                logger.LogInformation("Transient grain call failure ({Error}), retry {Attempt} in {Delay} ms", e.GetType().Name, attempt, delay.TotalMilliseconds);
                await Task.Delay(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
            finally
            {
                RequestContext.Remove(OperationIds.RequestContextKey);
            }
        }
    }

    /// <summary>Failures after which the call may be made again: the grain moved, the answer was lost, or nothing was saved.</summary>
    private static bool IsTransient(Exception e) => e is SiloUnavailableException
        or OrleansMessageRejectionException
        or TimeoutException
        or StateNotSavedException
        or Orleans.Runtime.OrleansException { InnerException: SiloUnavailableException or TimeoutException };
}
