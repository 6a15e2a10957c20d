using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;
using MoodGrains.Grains.Users;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// A party room or solo session: members and host, the authoritative queue, the playhead and the group mood.
/// Pure rules live in <see cref="RoomPlayback"/> and <see cref="GroupMoodAggregator"/>; this grain authorizes,
/// persists, schedules the end of each track, refills the queue and tells browsers.
/// </summary>
[GrainType("room")]
public sealed partial class RoomGrain(
    [PersistentState("room", "rooms")] IPersistentState<RoomState> state,
    IRoomNotifier notifier,
    IRoomRecommender recommender,
    ITrackCatalog catalog,
    IListeningLog listeningLog,
    IRoomDirectory directory,
    IRoomPlaybackOutput playbackOutput,
    IOptions<MoodOptions> moodOptions,
    TimeProvider clock,
    ILogger<RoomGrain> logger) : Grain, IRoomGrain, IRemindable
{
    public const int MaxMembers = 50;
    public const int QueueTarget = 5;
    private const int TimelineLength = 150;
    private static readonly TimeSpan TimelineInterval = TimeSpan.FromSeconds(2);
    private const string PlaybackReminder = "playback";

    private readonly Dictionary<string, MoodSnapshot> _memberMoods = [];
    private IGrainTimer? _trackEndTimer;
    private GroupMood _mood = GroupMood.Empty;

    private string Code => this.GetPrimaryKeyString();

    private DateTimeOffset Now => clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // After a crash or restart mid-track: catch up on tracks that ended while nobody held the room.
        if (state.State.Created && RoomPlayback.HasEnded(state.State, Now))
        {
            await AdvanceAsync(skipped: false);
        }

        ScheduleTrackEnd();
    }

    public async Task<RoomSnapshot> CreateAsync(string hostUserId, string hostDisplayName, bool isSolo)
    {
        var name = DisplayName.Validate(hostDisplayName);
        if (state.State.Created)
        {
            throw new RoomException(RoomError.RoomExists, $"Room {Code} already exists.");
        }

        state.State = new RoomState
        {
            Created = true,
            HostUserId = hostUserId,
            Members = [new RoomMember(hostUserId, name, Now)],
            IsSolo = isSolo,
            CreatedAt = Now,
        };
        await GrainFactory.GetGrain<IUserGrain>(hostUserId).SetCurrentRoomAsync(Code);
        await directory.RoomOpenedAsync(Code, hostUserId, isSolo, CancellationToken.None);
        await directory.MemberSeenAsync(hostUserId, name, CancellationToken.None);
        await RefillQueueAsync();
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> JoinAsync(string userId, string displayName)
    {
        var name = DisplayName.Validate(displayName);
        EnsureExists();
        if (state.State.Members.Any(m => m.UserId == userId))
        {
            throw new RoomException(RoomError.AlreadyMember, "You are already in this room.");
        }

        if (state.State.IsSolo)
        {
            throw new RoomException(RoomError.RoomFull, "This is a solo session; it cannot be joined.");
        }

        if (state.State.Members.Count >= MaxMembers)
        {
            throw new RoomException(RoomError.RoomFull, $"This room is full ({MaxMembers} members).");
        }

        state.State.Members.Add(new RoomMember(userId, name, Now));
        await GrainFactory.GetGrain<IUserGrain>(userId).SetCurrentRoomAsync(Code);
        await directory.MemberSeenAsync(userId, name, CancellationToken.None);
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> LeaveAsync(string userId)
    {
        EnsureMember(userId);
        await RemoveMemberCoreAsync(userId);
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> TransferHostAsync(string callerUserId, string newHostUserId)
    {
        EnsureHost(callerUserId);
        if (state.State.Members.All(m => m.UserId != newHostUserId))
        {
            throw new RoomException(RoomError.NotMember, "Hosting can only be handed to a member of the room.");
        }

        state.State.HostUserId = newHostUserId;
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> RemoveMemberAsync(string callerUserId, string memberUserId)
    {
        EnsureHost(callerUserId);
        if (callerUserId == memberUserId)
        {
            throw new RoomException(RoomError.InvalidArgument, "The host cannot remove themselves; leave the room instead.");
        }

        EnsureMember(memberUserId);
        await RemoveMemberCoreAsync(memberUserId);
        var snapshot = await CommitAsync();
        await notifier.MemberRemovedAsync(Code, memberUserId);
        return snapshot;
    }

    public Task<RoomSnapshot> GetSnapshotAsync()
    {
        EnsureExists();
        return Task.FromResult(Snapshot());
    }

    public async Task<RoomSnapshot> SetSpotifyListeningAsync(string userId, bool enabled, string? deviceId)
    {
        EnsureMember(userId);
        if (deviceId is { Length: > 256 })
        {
            throw new RoomException(RoomError.InvalidArgument, "That is not a Spotify device id.");
        }

        var previous = state.State.SpotifyListeners.Find(l => l.UserId == userId);
        state.State.SpotifyListeners.RemoveAll(l => l.UserId == userId);
        if (enabled)
        {
            var device = string.IsNullOrWhiteSpace(deviceId) ? null : deviceId;
            state.State.SpotifyListeners.Add(new SpotifyListener(userId, device, (previous?.Request ?? 0) + 1));
        }

        return await CommitAsync();
    }

    public Task<string> GetLocationAsync() => Task.FromResult(RuntimeIdentity);

    public async Task UpdateMemberMoodAsync(string userId, MoodSnapshot mood)
    {
        if (!state.State.Created || state.State.Members.All(m => m.UserId != userId))
        {
            return;
        }

        _memberMoods[userId] = mood;
        _mood = GroupMoodAggregator.Aggregate(_memberMoods, Now, moodOptions.Value.HalfLife);
        var sample = new MoodSample(Now, _mood.Point, _mood.Confidence, _mood.Dominant);
        if (state.State.Timeline.Count == 0 || Now - state.State.Timeline[^1].At >= TimelineInterval)
        {
            state.State.Timeline.Add(sample);
            if (state.State.Timeline.Count > TimelineLength)
            {
                state.State.Timeline.RemoveRange(0, state.State.Timeline.Count - TimelineLength);
            }
        }

        await notifier.MoodChangedAsync(new RoomMoodUpdate(Code, _mood, sample, Now.ToUnixTimeMilliseconds()));
    }

    public Task<RoomSnapshot> PlayAsync(string callerUserId) => ControlAsync(callerUserId, async () =>
    {
        if (!RoomPlayback.Play(state.State, Now))
        {
            await RefillQueueAsync();
            if (!RoomPlayback.Play(state.State, Now))
            {
                throw new RoomException(RoomError.InvalidArgument, "The queue is empty; add a track first.");
            }
        }

        await RefillQueueAsync();
    });

    public Task<RoomSnapshot> PauseAsync(string callerUserId) => ControlAsync(callerUserId, () =>
    {
        RoomPlayback.Pause(state.State, Now);
        return Task.CompletedTask;
    });

    public Task<RoomSnapshot> SeekAsync(string callerUserId, int positionMs) => ControlAsync(callerUserId, () =>
    {
        RoomPlayback.Seek(state.State, positionMs, Now);
        return Task.CompletedTask;
    });

    public Task<RoomSnapshot> SkipAsync(string callerUserId) => ControlAsync(callerUserId, () => AdvanceAsync(skipped: true));

    public async Task<RoomSnapshot> VoteSkipAsync(string callerUserId)
    {
        EnsureMember(callerUserId);
        if (RoomPlayback.VoteSkip(state.State, callerUserId))
        {
            LogVoteSkip(Code, state.State.NowPlaying!.SkipVoters.Count);
            await AdvanceAsync(skipped: true);
        }

        return await CommitAsync();
    }

    public async Task<RoomSnapshot> RateAsync(string callerUserId, bool liked)
    {
        EnsureMember(callerUserId);
        RoomPlayback.Rate(state.State, callerUserId, liked);
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> MoveEntryAsync(string callerUserId, string entryId, int newIndex)
    {
        EnsureHost(callerUserId);
        RoomPlayback.Reorder(state.State, entryId, newIndex);
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> RemoveEntryAsync(string callerUserId, string entryId)
    {
        EnsureHost(callerUserId);
        RoomPlayback.Remove(state.State, entryId);
        await RefillQueueAsync();
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> AddTrackAsync(string callerUserId, long trackId)
    {
        EnsureMember(callerUserId);
        if (callerUserId != state.State.HostUserId && state.State.QueueLocked)
        {
            throw new RoomException(RoomError.NotHost, "The host has locked the queue.");
        }

        var track = await catalog.FindAsync(trackId, CancellationToken.None)
            ?? throw new RoomException(RoomError.InvalidArgument, "That track is not in the catalogue.");
        var member = state.State.Members.First(m => m.UserId == callerUserId);
        // Added by a person: it goes ahead of the recommender's picks, behind other people's additions.
        var position = state.State.Queue.FindIndex(e => e.AddedByUserId is null);
        var reason = $"added by {member.DisplayName}";
        if (!track.HasAudio && await catalog.HasAudioLibraryAsync(CancellationToken.None))
        {
            // Allowed, but the room should know why the pages stay silent for it.
            reason += track.SpotifyUri is null ? " · no audio here and not on Spotify" : " · no audio here — plays on Spotify only";
        }

        var entry = RoomPlayback.NewEntry(state.State, track, reason, callerUserId, member.DisplayName, Now);
        state.State.Queue.Insert(position < 0 ? state.State.Queue.Count : position, entry);
        return await CommitAsync();
    }

    public async Task<IReadOnlyList<TrackInfo>> SearchTracksAsync(string callerUserId, string query)
    {
        EnsureMember(callerUserId);
        if (string.IsNullOrWhiteSpace(query) || query.Length > 200)
        {
            throw new RoomException(RoomError.InvalidArgument, "Search for 1 to 200 characters.");
        }

        return await catalog.SearchAsync(query.Trim(), 10, CancellationToken.None);
    }

    public async Task<RoomSnapshot> SetQueueLockedAsync(string callerUserId, bool locked)
    {
        EnsureHost(callerUserId);
        state.State.QueueLocked = locked;
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> SetGuestControlsAsync(string callerUserId, bool enabled)
    {
        EnsureHost(callerUserId);
        state.State.GuestControls = enabled;
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> SetPolicyAsync(string callerUserId, MoodPolicy policy)
    {
        EnsureHost(callerUserId);
        if (!Enum.IsDefined(policy))
        {
            throw new RoomException(RoomError.InvalidArgument, "Unknown mood policy.");
        }

        if (state.State.Policy != policy)
        {
            state.State.Policy = policy;
            // The queue was chosen for the old target: keep what people added, re-pick the rest.
            state.State.Queue.RemoveAll(e => e.AddedByUserId is null);
            await RefillQueueAsync();
        }

        return await CommitAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!state.State.Created || state.State.NowPlaying is not { State: PlaybackState.Playing })
        {
            // Nothing to keep alive: stop waking this room up.
            var reminder = await this.GetReminder(PlaybackReminder);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }

            return;
        }

        if (RoomPlayback.HasEnded(state.State, Now))
        {
            await AdvanceAsync(skipped: false);
            await CommitAsync();
        }
    }

    private async Task<RoomSnapshot> ControlAsync(string callerUserId, Func<Task> change)
    {
        EnsureMember(callerUserId);
        if (callerUserId != state.State.HostUserId && !state.State.GuestControls)
        {
            throw new RoomException(RoomError.NotHost, "Only the host can control playback in this room.");
        }

        await change();
        return await CommitAsync();
    }

    private async Task AdvanceAsync(bool skipped)
    {
        var endedAt = Now;
        var startedAt = state.State.NowPlayingStartedAt;
        var finished = RoomPlayback.Advance(state.State, endedAt);
        if (finished is not null)
        {
            await LogPlayAsync(finished, startedAt, endedAt, skipped);
        }

        await RefillQueueAsync();
        if (state.State.NowPlaying is null && finished is not null)
        {
            RoomPlayback.Play(state.State, Now);
        }
    }

    private async Task LogPlayAsync(NowPlaying finished, DateTimeOffset startedAt, DateTimeOffset endedAt, bool skipped)
    {
        var records = state.State.Members
            .Select(m => new ListeningRecord(
                m.UserId,
                finished.Entry.Track.TrackId,
                Code,
                startedAt,
                endedAt,
                RoomPlayback.OutcomeFor(finished, m.UserId, skipped),
                _memberMoods.TryGetValue(m.UserId, out var mood) ? mood : MoodSnapshot.From(SmoothedMood.Empty, endedAt, moodOptions.Value.HalfLife)))
            .ToList();
        try
        {
            await listeningLog.RecordAsync(records, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Losing one play from the history must not stop the music; the failure is logged loudly.
            LogListeningLogFailed(e, Code, finished.Entry.Track.TrackId);
        }
    }

    private async Task RefillQueueAsync()
    {
        var missing = QueueTarget - state.State.Queue.Count;
        if (missing <= 0)
        {
            return;
        }

        var exclude = state.State.RecentTrackIds
            .Concat(state.State.Queue.Select(e => e.Track.TrackId))
            .Concat(state.State.NowPlaying is { } np ? [np.Entry.Track.TrackId] : [])
            .ToHashSet();
        var members = state.State.Members
            .Select(m => new MemberMood(m.UserId, _memberMoods.TryGetValue(m.UserId, out var mood) ? mood : MoodSnapshot.From(SmoothedMood.Empty, Now, moodOptions.Value.HalfLife), 1f))
            .ToList();
        try
        {
            var picks = await recommender.RecommendAsync(
                new RoomRecommendationRequest(Code, members, _mood, state.State.Policy, exclude, missing, state.State.MoodTarget,
                    AnyoneOnSpotify: state.State.SpotifyListeners.Count > 0), CancellationToken.None);
            state.State.MoodTarget = picks.Target;
            foreach (var pick in picks.Tracks.Where(p => !exclude.Contains(p.Track.TrackId)).Take(missing))
            {
                state.State.Queue.Add(RoomPlayback.NewEntry(state.State, pick.Track, pick.Reason, null, "MoodGrains", Now));
            }
        }
        catch (Exception e)
        {
            // A recommender outage leaves the queue short, not the room broken; the next change tries again.
            LogRefillFailed(e, Code);
        }
    }

    private async Task RemoveMemberCoreAsync(string userId)
    {
        state.State.Members.RemoveAll(m => m.UserId == userId);
        state.State.SpotifyListeners.RemoveAll(l => l.UserId == userId);
        _memberMoods.Remove(userId);
        if (state.State.HostUserId == userId && state.State.Members.Count > 0)
        {
            // The longest-present member inherits the room, so a room never sits without a host.
            state.State.HostUserId = state.State.Members.MinBy(m => m.JoinedAt)!.UserId;
        }

        if (state.State.Members.Count == 0)
        {
            RoomPlayback.Pause(state.State, Now);
        }

        await GrainFactory.GetGrain<IUserGrain>(userId).SetCurrentRoomAsync(null);
    }

    private async Task<RoomSnapshot> CommitAsync()
    {
        state.State.Version++;
        await state.WriteStateAsync();
        ScheduleTrackEnd();
        if (state.State.NowPlaying is { State: PlaybackState.Playing })
        {
            // A durable wake-up, so a room whose silo died mid-track is reactivated and carries on.
            await this.RegisterOrUpdateReminder(PlaybackReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }

        var snapshot = Snapshot();
        await notifier.RoomChangedAsync(snapshot);
        playbackOutput.Publish(new RoomPlaybackTarget(Code, state.State.NowPlaying, state.State.SpotifyListeners.ToArray()));
        return snapshot;
    }

    private void ScheduleTrackEnd()
    {
        _trackEndTimer?.Dispose();
        _trackEndTimer = null;
        if (state.State.NowPlaying?.EndsAtServerMs is not { } end)
        {
            return;
        }

        var due = TimeSpan.FromMilliseconds(Math.Max(0, end - Now.ToUnixTimeMilliseconds()));
        _trackEndTimer = this.RegisterGrainTimer(async () =>
        {
            if (RoomPlayback.HasEnded(state.State, Now))
            {
                await AdvanceAsync(skipped: false);
                await CommitAsync();
            }
            else
            {
                // Timers run on a monotonic clock and may come a moment before the wall clock says the track ended;
                // wait for the rest instead of leaving the advance to the once-a-minute reminder.
                ScheduleTrackEnd();
            }
        }, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private RoomSnapshot Snapshot() => new(
        Code, state.State.HostUserId, state.State.Members.ToArray(), state.State.IsSolo, state.State.CreatedAt, state.State.Version)
    {
        Queue = state.State.Queue.ToArray(),
        NowPlaying = state.State.NowPlaying,
        Policy = state.State.Policy,
        QueueLocked = state.State.QueueLocked,
        GuestControls = state.State.GuestControls,
        Mood = _mood,
        Timeline = state.State.Timeline.ToArray(),
        ServerMs = Now.ToUnixTimeMilliseconds(),
        SpotifyListeners = state.State.SpotifyListeners.Select(l => l.UserId).ToArray(),
    };

    private void EnsureExists()
    {
        if (!state.State.Created)
        {
            throw new RoomException(RoomError.RoomNotFound, $"There is no room with the code {Code}.");
        }
    }

    private void EnsureMember(string userId)
    {
        EnsureExists();
        if (state.State.Members.All(m => m.UserId != userId))
        {
            throw new RoomException(RoomError.NotMember, "You are not a member of this room.");
        }
    }

    private void EnsureHost(string userId)
    {
        EnsureExists();
        if (state.State.HostUserId != userId)
        {
            throw new RoomException(RoomError.NotHost, "Only the host can do that.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode} skipped the track by {Votes} vote(s)")]
    private partial void LogVoteSkip(string roomCode, int votes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Room {RoomCode} could not record the play of track {TrackId}")]
    private partial void LogListeningLogFailed(Exception exception, string roomCode, long trackId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomCode} could not refill its queue")]
    private partial void LogRefillFailed(Exception exception, string roomCode);
}
