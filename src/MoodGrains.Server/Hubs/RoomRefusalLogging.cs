using Microsoft.AspNetCore.SignalR;
using MoodGrains.Server.Identity;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// A refused hub call (a guest pressing a host control, a stale room code) is the room working as designed: it is
/// logged as one information line with its code, never as a failure with a stack trace. Anything else a hub method
/// throws is logged here as an error, since SignalR's own "Failed to invoke hub method" line (which logs refusals as
/// failures too) is switched off (<see cref="DispatcherCategory"/>).
/// </summary>
public sealed partial class RoomRefusalLogging(ILogger<RoomRefusalLogging> logger) : IHubFilter
{
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException e)
        {
            LogRefused(invocationContext.Context.User.UserId(), invocationContext.HubMethodName, e.Message);
            throw;
        }
        catch (Exception e)
        {
            LogFailed(e, invocationContext.HubMethodName);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    private partial void LogFailed(Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} was refused {Method}: {Refusal}")]
    private partial void LogRefused(string userId, string method, string refusal);
}
