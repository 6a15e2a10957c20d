using Microsoft.Extensions.Logging;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// What lets a room survive retries and a dead silo: repeated commands are answered rather than applied twice (their
/// operation ids are persisted with the state), and a new activation takes its members' moods back from their user
/// grains, so the group mood is not lost with the silo that held it.
/// </summary>
public sealed partial class RoomGrain : IIncomingGrainCallFilter
{
    // Spent inside the activation, so inside the first caller's call, whose timeout is 5 s by default: a member whose
    // user grain sat on a dead silo must not make that call time out, and the faces refill a missing mood in seconds.
    private static readonly TimeSpan MoodRestoreBudget = TimeSpan.FromSeconds(2);

    // Per call, not per grain: a call that interleaves (a search's membership check) while a command awaits must not
    // replace or clear the command's id before the command saves it.
    private readonly AsyncLocal<string?> _operation = new();
    private DateTimeOffset _lastWrite;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var operation = RequestContext.Get(OperationIds.RequestContextKey) as string;
        if (operation is not null)
        {
            // Kept here rather than in the request context, where it would travel on to the user grains this call reaches.
            RequestContext.Remove(OperationIds.RequestContextKey);
        }

        if (OperationLog.Contains(Room.RecentOperations, operation) && context.InterfaceMethod?.ReturnType == typeof(Task<RoomSnapshot>))
        {
            // A retry of a command already applied (its first answer was lost): the room as it is now includes its effect.
            LogRepeatedOperation(Code, context.MethodName);
            context.Result = Snapshot();
            return;
        }

        _operation.Value = operation;
        try
        {
            await context.Invoke();
        }
        finally
        {
            _operation.Value = null;
        }
    }

    /// <summary>Notes the command being committed, so a retry of it is recognised, in the same write as its effect.</summary>
    private void RememberOperation()
    {
        if (_operation.Value is { } operation)
        {
            OperationLog.Remember(Room.RecentOperations, operation);
        }
    }

    /// <summary>
    /// Asks every member's user grain for their mood. The members' faces keep pushing, so this only bridges the seconds
    /// after a reactivation; a member who pushed meanwhile keeps the newer mood.
    /// </summary>
    private async Task RestoreMemberMoodsAsync()
    {
        if (!Room.Created || Room.Members.Count == 0)
        {
            return;
        }

        // GetMood interleaves on the user grain, so a member whose reading activated this room is not waited on.
        var reads = Room.Members
            .Where(m => !_memberMoods.ContainsKey(m.UserId))
            .Select(async m => (m.UserId, Mood: await GrainFactory.GetGrain<IUserGrain>(m.UserId).GetMoodAsync()))
            .ToList();
        try
        {
            await Task.WhenAll(reads).WaitAsync(MoodRestoreBudget);
        }
        catch (Exception e)
        {
            LogMoodRestoreIncomplete(Code, e.GetType().Name);
        }

        foreach (var read in reads.Where(r => r.IsCompletedSuccessfully))
        {
            _memberMoods.TryAdd(read.Result.UserId, read.Result.Mood);
        }

        Reaggregate();
    }

    /// <summary>
    /// Mood updates add timeline samples without a commit; write them now and then, so a dead silo loses at most a
    /// persist interval of the timeline.
    /// </summary>
    private async Task SaveTimelineIfDueAsync()
    {
        if (!Room.Created || Room.Timeline.Count == 0 || Room.Timeline[^1].At <= _lastWrite || Now - _lastWrite < moodOptions.Value.PersistInterval)
        {
            return;
        }

        try
        {
            await state.WriteOrRevertAsync(DeactivateOnIdle);
            _lastWrite = Now;
        }
        catch (StateNotSavedException e)
        {
            // Not the member's fault: their reading was taken; the timeline is written with the next change. Not tried
            // again before another interval, so an outage does not put a failing write into every mood update.
            _lastWrite = Now;
            LogTimelineNotSaved(Code, e.InnerException?.GetType().Name ?? e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode} answered a repeat of {Method} without applying it again")]
    private partial void LogRepeatedOperation(string roomCode, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomCode} could not read back every member's mood ({Error}); the faces fill it in")]
    private partial void LogMoodRestoreIncomplete(string roomCode, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomCode} could not save its mood timeline ({Error})")]
    private partial void LogTimelineNotSaved(string roomCode, string error);
}
