using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;
using MoodGrains.Mood;
using MoodGrains.Server.Identity;
using MoodGrains.Playback;
using MoodGrains.Server.Vision;

namespace MoodGrains.Server.Hubs;

/// <summary>The server's clock, for a client's NTP-style offset estimate.</summary>
public sealed record ClockSample(long ClientSendMs, long ServerMs);

/// <summary>
/// The browser's door into rooms. Thin on purpose: it checks the caller's identity, forwards to grains (or to the
/// inference pool for frames) and subscribes the connection to its room's group; pushes come from
/// <see cref="SignalRRoomNotifier"/>.
/// </summary>
[Authorize]
public sealed class RoomHub(IGrainFactory grains, GrainCalls calls, FrameInferencePool inference, SpotifyListeningCheck spotify, RoomSubscriptions subscriptions, RoomPresenceReporter presence, TimeProvider clock) : Hub<IRoomClient>
{
    public static string GroupOf(string roomCode) => "room:" + roomCode;

    private string UserId => Context.User.UserId();

    public override Task OnConnectedAsync()
    {
        subscriptions.Connected(UserId, Context.ConnectionId);
        // Not awaited: presence is best effort and must not hold up the connection.
        _ = presence.ReportAsync(UserId);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Disconnected(UserId, Context.ConnectionId);
        _ = presence.ReportAsync(UserId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>One round trip of clock sync: the client notes when it sent and received, the server its own time.</summary>
    public ClockSample Ping(long clientSendMs) => new(clientSendMs, clock.GetUtcNow().ToUnixTimeMilliseconds());

    public async Task<RoomSnapshot> CreateRoom(string displayName, bool solo = false)
    {
        var snapshot = await RoomErrors.ForHubAsync(() => calls.CreateRoomAsync(UserId, displayName, solo));
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(snapshot.Code));
        return snapshot;
    }

    public async Task<RoomSnapshot> JoinRoom(string roomCode, string displayName)
    {
        var code = Code(roomCode);
        // Subscribe only once the room has accepted the join, so a refused caller never hears the room.
        var joined = await Room(code, room => room.JoinAsync(UserId, displayName));
        return await SubscribeAsMemberAsync(code, joined);
    }

    /// <summary>Re-attaches a reconnected page to a room its user is already in, and returns the full current state.</summary>
    public async Task<RoomSnapshot> ResumeRoom(string roomCode)
    {
        var code = Code(roomCode);
        var snapshot = await Room(code, room => room.GetSnapshotAsync());
        if (snapshot.Members.All(m => m.UserId != UserId))
        {
            throw RoomErrors.ToHubException(RoomError.NotMember, "You are not a member of this room.");
        }

        return await SubscribeAsMemberAsync(code, snapshot);
    }

    /// <summary>
    /// Subscribes the connection, then reads the room again: a change between the grain's answer and the subscription
    /// is in the fresh snapshot rather than lost, and a removal in that gap (whose revocation may have run before this
    /// connection was in the group) is caught here and undone.
    /// </summary>
    private async Task<RoomSnapshot> SubscribeAsMemberAsync(string code, RoomSnapshot accepted)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(code));
        try
        {
            var latest = await Room(code, room => room.GetSnapshotAsync());
            if (latest.Members.All(m => m.UserId != UserId))
            {
                throw RoomErrors.ToHubException(RoomError.NotMember, "You are not a member of this room.");
            }

            return latest.Version >= accepted.Version ? latest : accepted;
        }
        catch
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(code));
            throw;
        }
    }

    public async Task<RoomSnapshot> LeaveRoom(string roomCode)
    {
        var code = Code(roomCode);
        var snapshot = await Room(code, room => room.LeaveAsync(UserId));
        // Every tab and device of this person stops hearing the room, not only this connection.
        await subscriptions.RevokeAsync(code, UserId);
        return snapshot;
    }

    public Task<RoomSnapshot> TransferHost(string roomCode, string newHostUserId) => Room(roomCode, r => r.TransferHostAsync(UserId, newHostUserId));

    public Task<RoomSnapshot> RemoveMember(string roomCode, string memberUserId) => Room(roomCode, r => r.RemoveMemberAsync(UserId, memberUserId));

    public Task<RoomSnapshot> Play(string roomCode) => Room(roomCode, r => r.PlayAsync(UserId));

    public Task<RoomSnapshot> Pause(string roomCode) => Room(roomCode, r => r.PauseAsync(UserId));

    public Task<RoomSnapshot> Seek(string roomCode, int positionMs) => Room(roomCode, r => r.SeekAsync(UserId, positionMs));

    public Task<RoomSnapshot> Skip(string roomCode) => Room(roomCode, r => r.SkipAsync(UserId));

    public Task<RoomSnapshot> VoteSkip(string roomCode) => Room(roomCode, r => r.VoteSkipAsync(UserId));

    public Task<RoomSnapshot> Rate(string roomCode, bool liked) => Room(roomCode, r => r.RateAsync(UserId, liked));

    public Task<RoomSnapshot> ClearRating(string roomCode) => Room(roomCode, r => r.ClearRatingAsync(UserId));

    public Task<RoomSnapshot> MoveEntry(string roomCode, string entryId, int newIndex) => Room(roomCode, r => r.MoveEntryAsync(UserId, entryId, newIndex));

    public Task<RoomSnapshot> RemoveEntry(string roomCode, string entryId) => Room(roomCode, r => r.RemoveEntryAsync(UserId, entryId));

    public Task<RoomSnapshot> AddTrack(string roomCode, long trackId) => Room(roomCode, r => r.AddTrackAsync(UserId, trackId));

    /// <summary>Catalogue search for a member; it runs beside the room, so searching never holds the room up.</summary>
    public Task<IReadOnlyList<TrackInfo>> SearchTracks(string roomCode, string query)
    {
        var code = Code(roomCode);
        return RoomErrors.ForHubAsync(() => calls.RetryAsync(() => grains.GetGrain<ITrackSearchGrain>(0).SearchAsync(code, UserId, query)));
    }

    public Task<RoomSnapshot> SetQueueLocked(string roomCode, bool locked) => Room(roomCode, r => r.SetQueueLockedAsync(UserId, locked));

    public Task<RoomSnapshot> SetGuestControls(string roomCode, bool enabled) => Room(roomCode, r => r.SetGuestControlsAsync(UserId, enabled));

    public Task<RoomSnapshot> SetPolicy(string roomCode, MoodPolicy policy) => Room(roomCode, r => r.SetPolicyAsync(UserId, policy));

    /// <summary>Plays the room on the caller's own Spotify (their active device, or <paramref name="deviceId"/>), or stops.</summary>
    public async Task<RoomSnapshot> SetSpotifyListening(string roomCode, bool enabled, string? deviceId = null)
    {
        var code = Code(roomCode);
        if (enabled && await spotify.WhyNotAsync(UserId, Context.ConnectionAborted) is { } reason)
        {
            throw RoomErrors.ToHubException(RoomError.SpotifyUnavailable, reason);
        }

        return await Room(code, r => r.SetSpotifyListeningAsync(UserId, enabled, deviceId));
    }

    /// <summary>A webcam frame (JPEG, PNG or WebP bytes; base64 in JSON). Never stored: analysed, then dropped.</summary>
    public Task<FrameOutcome> SendFrame(byte[] frame) => inference.SubmitAsync(UserId, frame ?? []);

    /// <summary>
    /// For pages without a camera: the listener picks how they feel. It holds until they pick again, clear it or turn
    /// the camera on; in a room, the room takes it in at once (and re-plans if the room moved).
    /// </summary>
    public Task<MoodSnapshot> SetManualMood(string emotion) =>
        Emotions.TryParse(emotion ?? string.Empty, out var picked)
            ? ApplyManualMoodAsync(picked)
            : throw RoomErrors.ToHubException(RoomError.InvalidArgument, $"Unknown emotion '{emotion}'; use one of {string.Join(", ", Emotions.Names)}.");

    /// <summary>Drops the hand-picked mood; the camera (if on) speaks for the listener again.</summary>
    public Task<MoodSnapshot> ClearManualMood() => ApplyManualMoodAsync(null);

    private Task<MoodSnapshot> ApplyManualMoodAsync(Emotion? picked) => RoomErrors.ForHubAsync(() => calls.RetryAsync(async () =>
    {
        var user = grains.GetGrain<IUserGrain>(UserId);
        if ((await user.GetProfileAsync()).CurrentRoom is { } room)
        {
            return await grains.GetGrain<IRoomGrain>(room).SetManualMoodAsync(UserId, picked);
        }

        await user.SetManualMoodAsync(picked);
        return await user.GetMoodAsync();
    }));

    /// <summary>The normalized code, for calls that subscribe the connection before or after the grain call.</summary>
    private string Code(string roomCode)
    {
        try
        {
            return calls.NormalizeCode(roomCode);
        }
        catch (RoomException e)
        {
            throw RoomErrors.ToHubException(e);
        }
    }

    private Task<T> Room<T>(string roomCode, Func<IRoomGrain, Task<T>> call) => RoomErrors.ForHubAsync(() => calls.OnRoomAsync(roomCode, call));
}
