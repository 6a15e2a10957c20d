using Microsoft.AspNetCore.SignalR;
using MoodGrains.Server.Identity;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// A refused hub call (a guest pressing a host control, a stale room code) is the room working as designed: it is
/// logged as one information line with its code, never as a failure with a stack trace.
/// </summary>
public sealed partial class RoomRefusalLogging(ILogger<RoomRefusalLogging> logger) : IHubFilter
{
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
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} was refused {Method}: {Refusal}")]
    private partial void LogRefused(string userId, string method, string refusal);
}
