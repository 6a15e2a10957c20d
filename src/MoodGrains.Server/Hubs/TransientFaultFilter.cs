using Microsoft.AspNetCore.SignalR;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Server.Persistence;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// A hub call that failed because PostgreSQL is restarting answers "TryAgain" (the page retries or says so), not
/// SignalR's generic "unexpected error". Runs inside <see cref="RoomRefusalLogging"/>, which then logs it as a refusal.
/// </summary>
public sealed partial class TransientFaultFilter(PostgresPools pools, ILogger<TransientFaultFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception e) when (e is not HubException && TransientPostgres.Is(e))
        {
            LogTransient(invocationContext.HubMethodName, e.Message);
            pools.Clear();
            throw RoomErrors.ToHubException(RoomErrors.TryAgain, RoomErrors.TryAgainMessage);
        }
        catch (StateNotSavedException e)
        {
            // Still unsaved after the retries: nothing took effect, and the caller may simply ask again.
            LogTransient(invocationContext.HubMethodName, e.Message);
            throw RoomErrors.ToHubException(RoomErrors.TryAgain, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub method {Method} met a transient database failure ({Reason}); the caller is told to try again")]
    private partial void LogTransient(string method, string reason);
}
