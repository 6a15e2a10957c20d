using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;
using MoodGrains.Grains.Users;
using MoodGrains.Mood;
using static MoodGrains.Grains.Rooms.RoomMembership;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// A party room or solo session: members and host, the authoritative queue, the playhead and the group mood.
/// The rules live beside it in <see cref="RoomMembership"/>, <see cref="RoomQueue"/>, <see cref="RoomPlanner"/>,
/// <see cref="RoomPlayback"/>, <see cref="RoomPresence"/> and <see cref="GroupMoodAggregator"/>; this grain authorizes,
/// persists, schedules (first track, commit of the next, end of each track, presence), asks the recommender for
/// plans and tells browsers.
/// </summary>
[GrainType("room")]
public sealed partial class RoomGrain(
    [PersistentState("room", "rooms")] IPersistentState<RoomState> state,
    RoomPorts ports,
    IOptions<MoodOptions> moodOptions,
    IOptions<RoomPlanOptions> planOptions,
    IOptions<RoomLimitOptions> limitOptions,
    TimeProvider clock,
    ILogger<RoomGrain> logger) : Grain, IRoomGrain, IRemindable
{
    private const string PlaybackReminder = "playback";

    private readonly Dictionary<string, MoodSnapshot> _memberMoods = [];
    private readonly RoomPresence _presence = new();
    private IGrainTimer? _trackEndTimer;
    private IGrainTimer? _commitTimer;
    private IGrainTimer? _firstTrackTimer;
    private IGrainTimer? _presenceTimer;
    private GroupMood _mood = GroupMood.Empty;

    private string Code => this.GetPrimaryKeyString();

    private DateTimeOffset Now => clock.GetUtcNow();

    private RoomState Room => state.State;

    private RoomPlanOptions Plan => planOptions.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await EndIfDueAsync())
        {
            return;
        }

        await RestoreMemberMoodsAsync();
        // After a crash or restart mid-track: catch up on tracks that ended while nobody held the room.
        if (Room.Created && RoomPlayback.HasEnded(Room, Now))
        {
            await AdvanceAsync(skipped: false);
        }

        ScheduleTrackEnd();
        ScheduleFirstTrack();
    }

    public async Task<RoomSnapshot> CreateAsync(string hostUserId, string hostDisplayName, bool isSolo)
    {
        var name = DisplayName.Validate(hostDisplayName);
        await EndIfDueAsync();
        state.State = RoomMembership.Create(Code, hostUserId, name, isSolo, Room, Now);
        // The first track waits for faces: a short window of readings, or a hand-picked mood, or play pressed.
        Room.AwaitingFirstPlan = true;
        await GrainFactory.GetGrain<IUserGrain>(hostUserId).SetCurrentRoomAsync(Code);
        await ports.Directory.RoomOpenedAsync(Code, hostUserId, isSolo, CancellationToken.None);
        await ports.Directory.MemberSeenAsync(hostUserId, name, CancellationToken.None);
        var snapshot = await CommitAsync();
        ScheduleFirstTrack();
        return snapshot;
    }

    public async Task<RoomSnapshot> JoinAsync(string userId, string displayName)
    {
        var name = DisplayName.Validate(displayName);
        await EndIfDueAsync();
        RoomMembership.Join(Room, Code, userId, name, Now);
        await GrainFactory.GetGrain<IUserGrain>(userId).SetCurrentRoomAsync(Code);
        await ports.Directory.MemberSeenAsync(userId, name, CancellationToken.None);
        await PlanAsync($"{name} joined");
        return await CommitAsync();
    }

    public Task<RoomSnapshot> LeaveAsync(string userId) => ChangeAsync(EnsureMember, userId, () =>
    {
        var name = NameOf(userId);
        RoomMembership.Leave(Room, userId, Now);
        return ForgetMemberAsync(userId, name);
    });

    public Task<RoomSnapshot> TransferHostAsync(string callerUserId, string newHostUserId) =>
        ChangeAsync(EnsureHost, callerUserId, Sync(() => RoomMembership.TransferHost(Room, newHostUserId)));

    public async Task<RoomSnapshot> RemoveMemberAsync(string callerUserId, string memberUserId)
    {
        var snapshot = await ChangeAsync(EnsureHost, callerUserId, () =>
        {
            var name = NameOf(memberUserId);
            RoomMembership.Remove(Room, Code, callerUserId, memberUserId, Now);
            return ForgetMemberAsync(memberUserId, name);
        });
        await ports.Notifier.MemberRemovedAsync(Code, memberUserId);
        return snapshot;
    }

    public Task<RoomSnapshot> GetSnapshotAsync()
    {
        RoomMembership.EnsureExists(Room, Code);
        return Task.FromResult(Snapshot());
    }

    public Task<RoomSnapshot> SetSpotifyListeningAsync(string userId, bool enabled, string? deviceId) =>
        ChangeAsync(EnsureMember, userId, Sync(() => RoomMembership.SetSpotifyListening(Room, userId, enabled, deviceId)));

    public Task<string> GetLocationAsync() => Task.FromResult(RuntimeIdentity);

    public async Task UpdateMemberMoodAsync(string userId, MoodSnapshot mood)
    {
        if (Room.Created && RoomMembership.IsMember(Room, userId) && await ApplyMoodAsync(userId, mood))
        {
            await CommitAsync();
        }

        await SaveTimelineIfDueAsync();
    }

    public async Task<MoodSnapshot> SetManualMoodAsync(string userId, Emotion? emotion)
    {
        RoomMembership.EnsureMember(Room, Code, userId);
        if (emotion is { } picked && !Enum.IsDefined(picked))
        {
            throw new RoomException(RoomError.InvalidArgument, $"Unknown mood; use one of {string.Join(", ", Emotions.Names)}.");
        }

        // One-way: the user grain may be waiting on this room with a camera reading, and must not be waited on here.
        _ = GrainFactory.GetGrain<IUserGrain>(userId).SetManualMoodAsync(emotion);
        var mood = emotion is { } e
            ? MoodSnapshot.Picked(e, moodOptions.Value.ManualConfidence, Now)
            : MoodSnapshot.From(SmoothedMood.Empty, Now, moodOptions.Value.HalfLife);
        await ApplyMoodAsync(userId, mood);

        // Always committed: the member list shows who picked by hand, even when the plan holds.
        await CommitAsync();
        return mood;
    }

    public async Task ConnectionsChangedAsync(string userId, string source, int count)
    {
        if (!Room.Created || !RoomMembership.IsMember(Room, userId))
        {
            return;
        }

        if (_presence.Report(userId, source, count, Now) && Room.Away.Remove(userId))
        {
            await PresenceChangedAsync($"{NameOf(userId)} is back");
        }

        SchedulePresenceCheck();
    }

    public Task<RoomSnapshot> PlayAsync(string callerUserId) => ChangeAsync(EnsureCanControl, callerUserId, async () =>
    {
        if (Room.AwaitingFirstPlan)
        {
            // Someone wants music now: start from whatever the faces have shown so far.
            await StartFirstPlanAsync();
        }

        if (!RoomPlayback.Play(Room, Now))
        {
            await PlanAsync(null);
            if (!RoomPlayback.Play(Room, Now))
            {
                throw new RoomException(RoomError.InvalidArgument, "The queue is empty; add a track first.");
            }
        }

        await PlanAsync(null);
    });

    public Task<RoomSnapshot> PauseAsync(string callerUserId) =>
        ChangeAsync(EnsureCanControl, callerUserId, Sync(() => RoomPlayback.Pause(Room, Now)));

    public Task<RoomSnapshot> SeekAsync(string callerUserId, int positionMs) =>
        ChangeAsync(EnsureCanControl, callerUserId, Sync(() => RoomPlayback.Seek(Room, positionMs, Now)));

    public Task<RoomSnapshot> SkipAsync(string callerUserId) => ChangeAsync(EnsureCanControl, callerUserId, () => AdvanceAsync(skipped: true));

    public Task<RoomSnapshot> VoteSkipAsync(string callerUserId) => ChangeAsync(EnsureMember, callerUserId, async () =>
    {
        if (RoomPlayback.VoteSkip(Room, callerUserId))
        {
            LogVoteSkip(Code, Room.NowPlaying!.SkipVoters.Count);
            await AdvanceAsync(skipped: true);
        }
    });

    public Task<RoomSnapshot> RateAsync(string callerUserId, bool liked) =>
        ChangeAsync(EnsureMember, callerUserId, Sync(() => RoomPlayback.Rate(Room, callerUserId, liked)));

    public Task<RoomSnapshot> ClearRatingAsync(string callerUserId) =>
        ChangeAsync(EnsureMember, callerUserId, Sync(() => RoomPlayback.ClearRating(Room, callerUserId)));

    public Task<RoomSnapshot> MoveEntryAsync(string callerUserId, string entryId, int newIndex) =>
        ChangeAsync(EnsureHost, callerUserId, Sync(() => RoomQueue.Reorder(Room, entryId, newIndex)));

    public Task<RoomSnapshot> RemoveEntryAsync(string callerUserId, string entryId) => ChangeAsync(EnsureHost, callerUserId, () =>
    {
        RoomQueue.Remove(Room, entryId);
        return PlanAsync(null);
    });

    public async Task<RoomSnapshot> AddTrackAsync(string callerUserId, long trackId)
    {
        RoomMembership.EnsureCanAdd(Room, Code, callerUserId);
        var track = await ports.Catalog.FindAsync(trackId, CancellationToken.None)
            ?? throw new RoomException(RoomError.InvalidArgument, "That track is not in the catalogue.");
        // A track with no audio here is allowed, but the room should know why the pages stay silent for it.
        var silent = !track.HasAudio && await ports.Catalog.HasAudioLibraryAsync(CancellationToken.None);
        RoomQueueLimits.EnsureRoomFor(Room, callerUserId, Limits);
        RoomQueue.AddByMember(Room, callerUserId, track, Now, silent);
        return await CommitAsync();
    }

    public Task<RoomSnapshot> SetQueueLockedAsync(string callerUserId, bool locked) =>
        ChangeAsync(EnsureHost, callerUserId, Sync(() => Room.QueueLocked = locked));

    public Task<RoomSnapshot> SetGuestControlsAsync(string callerUserId, bool enabled) =>
        ChangeAsync(EnsureHost, callerUserId, Sync(() => Room.GuestControls = enabled));

    public Task<RoomSnapshot> SetPolicyAsync(string callerUserId, MoodPolicy policy) =>
        ChangeAsync(EnsureHost, callerUserId, () => RoomQueue.SetPolicy(Room, policy) ? PlanAsync(RoomPlanner.PolicyNote(policy)) : Task.CompletedTask);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == LifetimeReminder)
        {
            await EndIfDueAsync();
        }
        else if (Room.NowPlaying is { State: PlaybackState.Playing })
        {
            await AdvanceIfEndedAsync();
        }
        else if (await this.GetReminder(PlaybackReminder) is { } reminder)
        {
            // Nothing to keep alive: stop waking this room up.
            await this.UnregisterReminder(reminder);
        }
    }

    private static Func<Task> Sync(Action change) => () =>
    {
        change();
        return Task.CompletedTask;
    };

    /// <summary>Authorizes the caller, applies the change, and commits it (persist, schedule, tell everyone).</summary>
    private async Task<RoomSnapshot> ChangeAsync(Action<RoomState, string, string> authorize, string callerUserId, Func<Task> change)
    {
        authorize(Room, Code, callerUserId);
        await change();
        return await CommitAsync();
    }

    private async Task<bool> AdvanceIfEndedAsync()
    {
        if (!RoomPlayback.HasEnded(Room, Now))
        {
            return false;
        }

        await AdvanceAsync(skipped: false);
        await CommitAsync();
        return true;
    }

    private async Task AdvanceAsync(bool skipped)
    {
        var endedAt = Now;
        var startedAt = Room.NowPlayingStartedAt;
        var finished = RoomPlayback.Advance(Room, endedAt);
        if (finished is not null)
        {
            var records = RoomPlayback.PlayRecords(Room, Code, finished, startedAt, endedAt, skipped, MoodOf);
            await ports.TryRecordAsync(records, Code, finished.Entry.Track.TrackId);
        }

        await PlanAsync(null);
        if (Room.NowPlaying is null && finished is not null)
        {
            RoomPlayback.Play(Room, Now);
        }
    }

    private MoodSnapshot MoodOf(string userId) =>
        _memberMoods.TryGetValue(userId, out var mood) ? mood : MoodSnapshot.From(SmoothedMood.Empty, Now, moodOptions.Value.HalfLife);

    private string NameOf(string userId) => Room.Members.Find(m => m.UserId == userId)?.DisplayName ?? "A member";

    /// <summary>The blend of the members who are present; away members neither steer the music nor hold it back.</summary>
    private void Reaggregate() => _mood = GroupMoodAggregator.Aggregate(
        _memberMoods.Where(m => Room.IsPresent(m.Key)).ToDictionary(), Now, moodOptions.Value.HalfLife);

    /// <summary>
    /// Re-makes the plan (a no-op while the first track still waits for faces). <paramref name="change"/> names why, for
    /// the entries it replaces; null for the routine re-plan after a track or an edit. A recommender outage keeps the old plan.
    /// </summary>
    /// <returns>True when a plan was made; false when the room still waits for faces or the recommender failed.</returns>
    private async Task<bool> PlanAsync(string? change)
    {
        if (Room.AwaitingFirstPlan)
        {
            return false;
        }

        var members = Room.Members.Where(m => Room.IsPresent(m.UserId)).Select(m => new MemberMood(m.UserId, MoodOf(m.UserId), 1f)).ToList();
        var request = RoomPlanner.Request(Room, Code, _mood, members, Plan.PlanDepth);
        if (await ports.TryRecommendAsync(request) is { } picks)
        {
            var plannedFor = _mood.Confidence >= Plan.MinConfidence ? _mood.Point : (MoodPoint?)null;
            var added = RoomPlanner.Apply(Room, request, picks, plannedFor, change, Now);
            if (change is not null)
            {
                LogReplanned(Code, change, added);
            }

            return true;
        }

        return false;
    }

    /// <summary>Takes in a member's mood, tells pages, and re-plans when the room moved; returns true when the plan changed.</summary>
    private async Task<bool> ApplyMoodAsync(string userId, MoodSnapshot mood)
    {
        _memberMoods[userId] = mood;
        Reaggregate();
        var sample = GroupMoodAggregator.Sample(_mood, Room.Timeline, Now);
        await ports.Notifier.MoodChangedAsync(new RoomMoodUpdate(Code, _mood, sample, Now.ToUnixTimeMilliseconds()));
        if (Room.AwaitingFirstPlan)
        {
            // Camera readings gather through the window; a hand-picked mood is a clear answer, so start at once.
            if (!mood.Manual)
            {
                return false;
            }

            await StartFirstPlanAsync();
            return true;
        }

        if (RoomPlanner.MoodShift(Room, _mood, Plan) is not { } change)
        {
            return false;
        }

        // A failed re-plan changed nothing: no write and no push to every member; the next reading tries again.
        return await PlanAsync(change);
    }

    private Task StartFirstPlanAsync()
    {
        Room.AwaitingFirstPlan = false;
        _firstTrackTimer?.Dispose();
        _firstTrackTimer = null;
        return PlanAsync(null);
    }

    private async Task ForgetMemberAsync(string userId, string name)
    {
        _memberMoods.Remove(userId);
        _presence.Forget(userId);
        PauseIfNobodyPresent();
        Reaggregate();
        await PlanAsync($"{name} left");
        await GrainFactory.GetGrain<IUserGrain>(userId).SetCurrentRoomAsync(null);
    }

    private async Task PresenceChangedAsync(string change)
    {
        PauseIfNobodyPresent();
        Reaggregate();
        await PlanAsync(change);
        await CommitAsync();
    }

    private void PauseIfNobodyPresent()
    {
        if (RoomPlayback.PresentCount(Room) == 0)
        {
            // Nobody is listening: stop, so no plays are logged for an empty room and the grain may deactivate.
            RoomPlayback.Pause(Room, Now);
        }
    }

    private async Task<RoomSnapshot> CommitAsync()
    {
        if (RoomPlayback.RecountSkipVotes(Room))
        {
            // Someone left or went away, and the votes of those still here are now a majority of them.
            LogVoteSkip(Code, Room.NowPlaying!.SkipVoters.Count);
            await AdvanceAsync(skipped: true);
        }

        Room.Version++;
        var presence = RoomLifetime.NotePresence(Room, Now);
        RememberOperation();
        await state.WriteOrRevertAsync(DeactivateOnIdle);
        _lastWrite = Now;
        ScheduleTrackEnd();
        if (Room.NowPlaying is { State: PlaybackState.Playing })
        {
            // A durable wake-up, so a room whose silo died mid-track is reactivated and carries on.
            await this.RegisterOrUpdateReminder(PlaybackReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }

        var snapshot = Snapshot();
        await ports.Notifier.RoomChangedAsync(snapshot);
        ports.PlaybackOutput.Publish(new RoomPlaybackTarget(Code, Room.NowPlaying, Room.SpotifyListeners.ToArray()));
        await FollowPresenceAsync(presence);
        return snapshot;
    }

    private void ScheduleTrackEnd()
    {
        _trackEndTimer = Reschedule(_trackEndTimer, Room.NowPlaying?.EndsAtServerMs, async () =>
        {
            if (!await AdvanceIfEndedAsync())
            {
                // Timers run on a monotonic clock and may come a moment before the wall clock says the track ended;
                // wait for the rest instead of leaving the advance to the once-a-minute reminder.
                ScheduleTrackEnd();
            }
        });
        _commitTimer = Reschedule(_commitTimer, RoomPlanner.CommitAtServerMs(Room, Plan), async () =>
        {
            // Last look at the mood before the next track is locked in: a change late in a track still chooses it.
            Reaggregate();
            var replan = RoomPlanner.MoodShift(Room, _mood, Plan);
            if (replan is not null)
            {
                await PlanAsync(replan);
            }

            if (RoomPlanner.CommitNext(Room) || replan is not null)
            {
                await CommitAsync();
            }
        });
    }

    private void ScheduleFirstTrack()
    {
        var due = Room.AwaitingFirstPlan ? Room.CreatedAt + Plan.FirstTrackWindow : (DateTimeOffset?)null;
        _firstTrackTimer = Reschedule(_firstTrackTimer, due?.ToUnixTimeMilliseconds(), async () =>
        {
            if (Room.AwaitingFirstPlan)
            {
                await StartFirstPlanAsync();
                await CommitAsync();
            }
        });
    }

    private void SchedulePresenceCheck()
    {
        var due = _presence.NextDeadline(Room.Away, Plan.PresenceGrace);
        _presenceTimer = Reschedule(_presenceTimer, due?.ToUnixTimeMilliseconds(), async () =>
        {
            if (_presence.MarkAway(Room, Now, Plan.PresenceGrace) is { Count: > 0 } away)
            {
                await PresenceChangedAsync(RoomPresence.AwayNote(away.Select(NameOf).ToList()));
            }

            SchedulePresenceCheck();
        });
    }

    /// <summary>Replaces a one-shot timer with one due at <paramref name="dueServerMs"/> (Unix ms; null: none).</summary>
    private IGrainTimer? Reschedule(IGrainTimer? timer, long? dueServerMs, Func<Task> callback)
    {
        timer?.Dispose();
        if (dueServerMs is not { } due)
        {
            return null;
        }

        var delay = TimeSpan.FromMilliseconds(Math.Max(0, due - Now.ToUnixTimeMilliseconds()));
        return this.RegisterGrainTimer(callback, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private RoomSnapshot Snapshot() => Room.ToSnapshot(Code, _mood, Now.ToUnixTimeMilliseconds());

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode} re-planned ({Change}): {Added} new pick(s)")]
    private partial void LogReplanned(string roomCode, string change, int added);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode} skipped the track by {Votes} vote(s)")]
    private partial void LogVoteSkip(string roomCode, int votes);
}
