using Microsoft.Extensions.Logging;
using MoodGrains.Abstractions.Users;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// The room's side of its limits (<see cref="RoomLimitOptions"/>): the membership check that searches run outside the
/// room, and the lifetime of <see cref="RoomLifetime"/>: an emptied room stops its timers and reminder and leaves
/// memory; a durable reminder wakes it to close and, later, to free its code.
/// </summary>
public sealed partial class RoomGrain
{
    private const string LifetimeReminder = "lifetime";

    // Orleans refuses reminders that tick more often than once a minute, and cannot wait more than about 49 days.
    private static readonly TimeSpan MinReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxReminderWait = TimeSpan.FromDays(1);

    private RoomLimitOptions Limits => limitOptions.Value;

    public Task EnsureMemberAsync(string userId)
    {
        RoomMembership.EnsureMember(Room, Code, userId);
        return Task.CompletedTask;
    }

    /// <summary>Closes a room left empty too long, or forgets a closed one so its code may be used again; true if it did.</summary>
    private async Task<bool> EndIfDueAsync()
    {
        switch (RoomLifetime.Due(Room, Limits, Now))
        {
            case RoomEnding.Close:
                var members = Room.Members.Select(m => m.UserId).ToList();
                state.State = RoomLifetime.Closed(Room, Now);
                await state.WriteOrRevertAsync(DeactivateOnIdle);
                StopTimers();
                await StopReminderAsync(PlaybackReminder);
                await ScheduleLifetimeAsync();
                foreach (var member in members)
                {
                    await ReleaseMemberAsync(member);
                }

                await RecordClosedAsync();

                LogClosed(Code, members.Count);
                DeactivateOnIdle();
                return true;

            case RoomEnding.FreeCode:
                await state.ClearStateAsync();
                state.State = new RoomState();
                await StopReminderAsync(LifetimeReminder);
                LogCodeFreed(Code);
                DeactivateOnIdle();
                return true;

            default:
                return false;
        }
    }

    /// <summary>After a committed change: an emptied room rests (out of memory, no timers, no playback reminder) until someone returns.</summary>
    private async Task FollowPresenceAsync(RoomLifetime.PresenceChange change)
    {
        if (change == RoomLifetime.PresenceChange.Emptied)
        {
            StopTimers();
            await StopReminderAsync(PlaybackReminder);
            await ScheduleLifetimeAsync();
            DeactivateOnIdle();
        }
        else if (change == RoomLifetime.PresenceChange.Refilled)
        {
            await StopReminderAsync(LifetimeReminder);
        }
    }

    /// <summary>The durable wake-up for the next lifetime step; each tick checks again, so a long wait is a few ticks.</summary>
    private async Task ScheduleLifetimeAsync()
    {
        if (RoomLifetime.NextDue(Room, Limits) is not { } due)
        {
            await StopReminderAsync(LifetimeReminder);
            return;
        }

        var wait = due - Now;
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxReminderWait ? MaxReminderWait : wait;
        var period = wait < MinReminderPeriod ? MinReminderPeriod : wait;
        await this.RegisterOrUpdateReminder(LifetimeReminder, wait, period);
    }

    private async Task StopReminderAsync(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void StopTimers()
    {
        foreach (var timer in new[] { _trackEndTimer, _commitTimer, _firstTrackTimer, _presenceTimer })
        {
            timer?.Dispose();
        }

        (_trackEndTimer, _commitTimer, _firstTrackTimer, _presenceTimer) = (null, null, null, null);
    }

    /// <summary>A member of a closed room is in no room any more, unless they have since joined another.</summary>
    private async Task ReleaseMemberAsync(string userId)
    {
        try
        {
            var user = GrainFactory.GetGrain<IUserGrain>(userId);
            if ((await user.GetProfileAsync()).CurrentRoom == Code)
            {
                await user.SetCurrentRoomAsync(null);
            }
        }
        catch (Exception e)
        {
            // Harmless if it fails: the closed room ignores what a stale pointer sends it.
            LogReleaseFailed(e, Code);
        }
    }

    private async Task RecordClosedAsync()
    {
        try
        {
            await ports.Directory.RoomClosedAsync(Code, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The room is closed either way; the directory row only records when.
            LogDirectoryFailed(e, Code);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomCode} could not record its closing in the directory")]
    private partial void LogDirectoryFailed(Exception exception, string roomCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode} closed after standing empty; {Members} member(s) released")]
    private partial void LogClosed(string roomCode, int members);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode} forgotten; its code may be used again")]
    private partial void LogCodeFreed(string roomCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomCode} could not release a member after closing")]
    private partial void LogReleaseFailed(Exception exception, string roomCode);
}
