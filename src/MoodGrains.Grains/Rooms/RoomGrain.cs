using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;
using MoodGrains.Grains.Users;
using static MoodGrains.Grains.Rooms.RoomMembership;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// A party room or solo session: members and host, the authoritative queue, the playhead and the group mood.
/// The rules live beside it in <see cref="RoomMembership"/>, <see cref="RoomQueue"/>, <see cref="RoomPlayback"/> and
/// <see cref="GroupMoodAggregator"/>; this grain authorizes, persists, schedules the end of each track, asks the
/// recommender for refills and tells browsers.
/// </summary>
[GrainType("room")]
public sealed partial class RoomGrain(
    [PersistentState("room", "rooms")] IPersistentState<RoomState> state,
    RoomPorts ports,
    IOptions<MoodOptions> moodOptions,
    TimeProvider clock,
    ILogger<RoomGrain> logger) : Grain, IRoomGrain, IRemindable
{
    private const string PlaybackReminder = "playback";

    private readonly Dictionary<string, MoodSnapshot> _memberMoods = [];
    private IGrainTimer? _trackEndTimer;
    private GroupMood _mood = GroupMood.Empty;

    private string Code => this.GetPrimaryKeyString();

    private DateTimeOffset Now => clock.GetUtcNow();

    private RoomState Room => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // After a crash or restart mid-track: catch up on tracks that ended while nobody held the room.
        if (Room.Created && RoomPlayback.HasEnded(Room, Now))
        {
            await AdvanceAsync(skipped: false);
        }

        ScheduleTrackEnd();
    }

    public async Task<RoomSnapshot> CreateAsync(string hostUserId, string hostDisplayName, bool isSolo)
    {
        var name = DisplayName.Validate(hostDisplayName);
        state.State = RoomMembership.Create(Code, hostUserId, name, isSolo, Room, Now);
        await GrainFactory.GetGrain<IUserGrain>(hostUserId).SetCurrentRoomAsync(Code);
        await ports.Directory.RoomOpenedAsync(Code, hostUserId, isSolo, CancellationToken.None);
        await ports.Directory.MemberSeenAsync(hostUserId, name, CancellationToken.None);
        await RefillQueueAsync();
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> JoinAsync(string userId, string displayName)
    {
        var name = DisplayName.Validate(displayName);
        RoomMembership.Join(Room, Code, userId, name, Now);
        await GrainFactory.GetGrain<IUserGrain>(userId).SetCurrentRoomAsync(Code);
        await ports.Directory.MemberSeenAsync(userId, name, CancellationToken.None);
        return await CommitAsync();
    }

    public Task<RoomSnapshot> LeaveAsync(string userId) => ChangeAsync(EnsureMember, userId, () =>
    {
        RoomMembership.Leave(Room, userId, Now);
        return ForgetMemberAsync(userId);
    });

    public Task<RoomSnapshot> TransferHostAsync(string callerUserId, string newHostUserId) =>
        ChangeAsync(EnsureHost, callerUserId, Sync(() => RoomMembership.TransferHost(Room, newHostUserId)));

    public async Task<RoomSnapshot> RemoveMemberAsync(string callerUserId, string memberUserId)
    {
        var snapshot = await ChangeAsync(EnsureHost, callerUserId, () =>
        {
            RoomMembership.Remove(Room, Code, callerUserId, memberUserId, Now);
            return ForgetMemberAsync(memberUserId);
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
        if (!Room.Created || !RoomMembership.IsMember(Room, userId))
        {
            return;
        }

        _memberMoods[userId] = mood;
        _mood = GroupMoodAggregator.Aggregate(_memberMoods, Now, moodOptions.Value.HalfLife);
        var sample = GroupMoodAggregator.Sample(_mood, Room.Timeline, Now);
        await ports.Notifier.MoodChangedAsync(new RoomMoodUpdate(Code, _mood, sample, Now.ToUnixTimeMilliseconds()));
    }

    public Task<RoomSnapshot> PlayAsync(string callerUserId) => ChangeAsync(EnsureCanControl, callerUserId, async () =>
    {
        if (!RoomPlayback.Play(Room, Now))
        {
            await RefillQueueAsync();
            if (!RoomPlayback.Play(Room, Now))
            {
                throw new RoomException(RoomError.InvalidArgument, "The queue is empty; add a track first.");
            }
        }

        await RefillQueueAsync();
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

    public Task<RoomSnapshot> MoveEntryAsync(string callerUserId, string entryId, int newIndex) =>
        ChangeAsync(EnsureHost, callerUserId, Sync(() => RoomQueue.Reorder(Room, entryId, newIndex)));

    public Task<RoomSnapshot> RemoveEntryAsync(string callerUserId, string entryId) => ChangeAsync(EnsureHost, callerUserId, () =>
    {
        RoomQueue.Remove(Room, entryId);
        return RefillQueueAsync();
    });

    public async Task<RoomSnapshot> AddTrackAsync(string callerUserId, long trackId)
    {
        RoomMembership.EnsureCanAdd(Room, Code, callerUserId);
        var track = await ports.Catalog.FindAsync(trackId, CancellationToken.None)
            ?? throw new RoomException(RoomError.InvalidArgument, "That track is not in the catalogue.");
        // A track with no audio here is allowed, but the room should know why the pages stay silent for it.
        var silent = !track.HasAudio && await ports.Catalog.HasAudioLibraryAsync(CancellationToken.None);
        RoomQueue.AddByMember(Room, callerUserId, track, Now, silent);
        return await CommitAsync();
    }

    public async Task<IReadOnlyList<TrackInfo>> SearchTracksAsync(string callerUserId, string query)
    {
        RoomMembership.EnsureMember(Room, Code, callerUserId);
        return await ports.Catalog.SearchAsync(RoomQueue.ValidateSearch(query), 10, CancellationToken.None);
    }

    public Task<RoomSnapshot> SetQueueLockedAsync(string callerUserId, bool locked) =>
        ChangeAsync(EnsureHost, callerUserId, Sync(() => Room.QueueLocked = locked));

    public Task<RoomSnapshot> SetGuestControlsAsync(string callerUserId, bool enabled) =>
        ChangeAsync(EnsureHost, callerUserId, Sync(() => Room.GuestControls = enabled));

    public Task<RoomSnapshot> SetPolicyAsync(string callerUserId, MoodPolicy policy) =>
        ChangeAsync(EnsureHost, callerUserId, () => RoomQueue.SetPolicy(Room, policy) ? RefillQueueAsync() : Task.CompletedTask);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Room.NowPlaying is { State: PlaybackState.Playing })
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

        await RefillQueueAsync();
        if (Room.NowPlaying is null && finished is not null)
        {
            RoomPlayback.Play(Room, Now);
        }
    }

    private MoodSnapshot MoodOf(string userId) =>
        _memberMoods.TryGetValue(userId, out var mood) ? mood : MoodSnapshot.From(SmoothedMood.Empty, Now, moodOptions.Value.HalfLife);

    private async Task RefillQueueAsync()
    {
        if (RoomQueue.PlanRefill(Room, Code, _mood, MoodOf) is { } request && await ports.TryRecommendAsync(request) is { } picks)
        {
            RoomQueue.ApplyRefill(Room, request, picks, Now);
        }
    }

    private async Task ForgetMemberAsync(string userId)
    {
        _memberMoods.Remove(userId);
        await GrainFactory.GetGrain<IUserGrain>(userId).SetCurrentRoomAsync(null);
    }

    private async Task<RoomSnapshot> CommitAsync()
    {
        Room.Version++;
        await state.WriteStateAsync();
        ScheduleTrackEnd();
        if (Room.NowPlaying is { State: PlaybackState.Playing })
        {
            // A durable wake-up, so a room whose silo died mid-track is reactivated and carries on.
            await this.RegisterOrUpdateReminder(PlaybackReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }

        var snapshot = Snapshot();
        await ports.Notifier.RoomChangedAsync(snapshot);
        ports.PlaybackOutput.Publish(new RoomPlaybackTarget(Code, Room.NowPlaying, Room.SpotifyListeners.ToArray()));
        return snapshot;
    }

    private void ScheduleTrackEnd()
    {
        _trackEndTimer?.Dispose();
        _trackEndTimer = null;
        if (Room.NowPlaying?.EndsAtServerMs is not { } end)
        {
            return;
        }

        var due = TimeSpan.FromMilliseconds(Math.Max(0, end - Now.ToUnixTimeMilliseconds()));
        _trackEndTimer = this.RegisterGrainTimer(async () =>
        {
            if (!await AdvanceIfEndedAsync())
            {
                // Timers run on a monotonic clock and may come a moment before the wall clock says the track ended;
                // wait for the rest instead of leaving the advance to the once-a-minute reminder.
                ScheduleTrackEnd();
            }
        }, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private RoomSnapshot Snapshot() => Room.ToSnapshot(Code, _mood, Now.ToUnixTimeMilliseconds());

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode} skipped the track by {Votes} vote(s)")]
    private partial void LogVoteSkip(string roomCode, int votes);
}
