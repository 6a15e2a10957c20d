using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using MoodGrains.Grains.Rooms;
using MoodGrains.Music;
using MoodGrains.Music.Catalog;
using MoodGrains.Music.Spotify;
using MoodGrains.Server.Hubs;

namespace MoodGrains.Server.Rooms;

/// <summary>Told to one member about their own Spotify following the room: what plays there now, or why nothing does.</summary>
public sealed record SpotifyPlaybackNotice(string RoomCode, bool Ok, string Message, string? TrackTitle);

/// <summary>
/// Plays rooms on their members' own Spotify devices. Spotify's queue cannot be reordered or cleared, so the room
/// keeps the queue and this hands each listener's device one track at a time with <c>play(uri, position_ms)</c>,
/// computed from the room's server-clock anchor when the call goes out.
/// <para>
/// Rooms publish after every change and never wait: each listener has a slot holding the latest target, a few
/// workers drain the slots, and a burst of changes collapses into one call with the newest state. Failures
/// (no Premium, no active device, rate limits, Spotify down) go to that member's page and never back to the room.
/// </para>
/// </summary>
public sealed partial class SpotifyRoomPlayer(
    IServiceScopeFactory scopes,
    IGrainFactory grains,
    IHubContext<RoomHub, IRoomClient> hub,
    IOptions<SpotifyOptions> options,
    TimeProvider clock,
    ILogger<SpotifyRoomPlayer> logger) : BackgroundService, IRoomPlaybackOutput
{
    private const int Workers = 4;

    // Spotify may report the previous track for a moment after a play command; checks wait this long after one.
    private static readonly TimeSpan CheckGrace = TimeSpan.FromSeconds(4);

    private readonly Channel<Slot> _ready = Channel.CreateUnbounded<Slot>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ConcurrentDictionary<(string Room, string User), Slot> _slots = new();
    private readonly ConcurrentDictionary<string, string[]> _roomListeners = new();

    public void Publish(RoomPlaybackTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!options.Value.IsEnabled)
        {
            return;
        }

        var current = target.Listeners.Select(l => l.UserId).ToArray();
        var previous = _roomListeners.TryGetValue(target.RoomCode, out var known) ? known : [];
        if (current.Length == 0)
        {
            _roomListeners.TryRemove(target.RoomCode, out _);
        }
        else
        {
            _roomListeners[target.RoomCode] = current;
        }

        foreach (var listener in target.Listeners)
        {
            Offer(ListenerTarget.From(target.RoomCode, listener, target.NowPlaying));
        }

        foreach (var gone in previous.Except(current, StringComparer.Ordinal))
        {
            // Stopped following or left the room: pause what we started on their device.
            if (_slots.TryGetValue((target.RoomCode, gone), out var slot))
            {
                Offer(ListenerTarget.Stopped(target.RoomCode, gone, slot.Applied?.DeviceId));
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => WorkAsync(stoppingToken)).Append(CheckDevicesAsync(stoppingToken)));

    private void Offer(ListenerTarget target)
    {
        var slot = _slots.GetOrAdd((target.RoomCode, target.UserId), _ => new Slot());
        slot.Desired = target;
        if (Interlocked.Exchange(ref slot.Scheduled, 1) == 0)
        {
            _ready.Writer.TryWrite(slot);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var slot in _ready.Reader.ReadAllAsync(stoppingToken))
        {
            // A slot is scheduled at most once at a time, so one worker owns it until it clears the flag.
            while (true)
            {
                var desired = slot.Desired!;
                try
                {
                    await ApplyAsync(slot, desired, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Not a provider answer (those are handled inside): log it and let the next change try afresh.
                    LogUnexpected(e, desired.RoomCode, desired.UserId);
                    slot.Applied = desired;
                }

                Volatile.Write(ref slot.Scheduled, 0);
                if (ReferenceEquals(slot.Desired, desired) || Interlocked.Exchange(ref slot.Scheduled, 1) != 0)
                {
                    break;
                }
            }

            if (slot.Applied is { IsPlaying: false, Entry: null } stopped
                && !(_roomListeners.TryGetValue(stopped.RoomCode, out var users) && users.Contains(stopped.UserId, StringComparer.Ordinal)))
            {
                _slots.TryRemove((stopped.RoomCode, stopped.UserId), out _);
            }
        }
    }

    private async Task ApplyAsync(Slot slot, ListenerTarget desired, CancellationToken stoppingToken)
    {
        var command = SpotifyFollowPlan.Next(slot.Applied, desired, clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (command is null)
        {
            slot.Applied = desired;
            return;
        }

        using var scope = scopes.CreateScope();
        var provider = scope.ServiceProvider.GetRequiredService<IMusicProvider>();
        try
        {
            switch (command)
            {
                case PauseCommand when slot.DeviceGone:
                    // The last call found no active device (the app was closed): nothing the room started plays there,
                    // and whatever plays there by now is the person's own, so it is left alone.
                    slot.Applied = desired;
                    await NotifyAsync(desired, new SpotifyPlaybackNotice(desired.RoomCode, true, "The room no longer plays on your Spotify.", null));
                    break;

                case PauseCommand pause:
                    await provider.PauseAsync(desired.UserId, pause.DeviceId, stoppingToken);
                    slot.Applied = desired;
                    slot.DeviceGone = false;
                    await NotifyAsync(desired, new SpotifyPlaybackNotice(desired.RoomCode, true, "Paused on your Spotify.", null));
                    break;

                case PlayTrackCommand play:
                    var track = play.Entry.Track;
                    var uri = track.SpotifyUri ?? await scope.ServiceProvider.GetRequiredService<CatalogTrackResolver>()
                        .ResolveUriAsync(track.TrackId, desired.UserId, stoppingToken);
                    if (uri is null)
                    {
                        if (slot.Applied is { IsPlaying: true } playing)
                        {
                            await provider.PauseAsync(desired.UserId, playing.DeviceId, stoppingToken);
                        }

                        slot.Applied = desired with { NowPlaying = null };
                        await NotifyAsync(desired, new SpotifyPlaybackNotice(desired.RoomCode, false,
                            $"\"{track.Title}\" is not on Spotify; your Spotify waits for the next track while the page keeps the room's timeline.", track.Title));
                        return;
                    }

                    // The position is taken as late as possible: resolving the track may have taken a search.
                    var position = desired.PositionAt(clock.GetUtcNow().ToUnixTimeMilliseconds());
                    await provider.PlayAsync(desired.UserId, new PlayRequest([uri], position, play.DeviceId), stoppingToken);
                    slot.PlayedUri = uri;
                    slot.PlayedAt = clock.GetUtcNow();
                    slot.Applied = desired;
                    slot.DeviceGone = false;
                    LogPlayed(desired.RoomCode, desired.UserId, uri, position);
                    await NotifyAsync(desired, new SpotifyPlaybackNotice(desired.RoomCode, true, $"Playing \"{track.Title}\" on your Spotify.", track.Title));
                    break;
            }
        }
        catch (MusicProviderException e)
        {
            // Marked as done, so the same refusal is not repeated in a loop; the room's next change tries again.
            slot.Applied = desired;
            slot.PlayedUri = null;
            // Other refusals (rate limit, Spotify down) leave the device playing what it played, which a pause must reach.
            slot.DeviceGone = e is NoActiveDeviceException;
            LogRefused(desired.RoomCode, desired.UserId, e.GetType().Name, e.StatusCode);
            await NotifyAsync(desired, new SpotifyPlaybackNotice(desired.RoomCode, false, e.Message, desired.Entry?.Track.Title));
            if (e is MusicRateLimitedException { RetryAfter: { } wait } && desired.IsPlaying)
            {
                // Spotify asked us to come back later: retry this target then, unless the room has moved on by then.
                _ = RetryLaterAsync(slot, desired, wait, stoppingToken);
            }
        }
    }

    private async Task CheckDevicesAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.FollowCheckInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var slot in _slots.Values)
            {
                try
                {
                    await CheckDeviceAsync(slot, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    LogCheckFailed(e);
                }
            }
        }
    }

    /// <summary>
    /// Looks at one listener's device while the room plays there: put back at the room's position when it drifted,
    /// or, when the person has paused it or put on something else, stop following so the room never fights them.
    /// </summary>
    private async Task CheckDeviceAsync(Slot slot, CancellationToken stoppingToken)
    {
        var applied = slot.Applied;
        var uri = slot.PlayedUri;
        if (applied is not { IsPlaying: true } || uri is null || !ReferenceEquals(slot.Desired, applied)
            || Volatile.Read(ref slot.Scheduled) != 0 || clock.GetUtcNow() - slot.PlayedAt < CheckGrace)
        {
            return;
        }

        Music.PlaybackState? device;
        using (var scope = scopes.CreateScope())
        {
            try
            {
                device = await scope.ServiceProvider.GetRequiredService<IMusicProvider>().GetPlaybackStateAsync(applied.UserId, stoppingToken);
            }
            catch (MusicProviderException)
            {
                // Spotify is busy or down: nothing to correct now; the next check or room change tries again.
                return;
            }
        }

        if (!ReferenceEquals(slot.Desired, applied) || !ReferenceEquals(slot.PlayedUri, uri))
        {
            return; // the room moved on while we asked
        }

        if (device is not { IsPlaying: true } || device.Track?.Uri != uri)
        {
            // Marked stopped first, so leaving the listeners does not pause what the person plays now.
            slot.Applied = applied with { NowPlaying = null };
            slot.PlayedUri = null;
            LogTakenOver(applied.RoomCode, applied.UserId);
            await NotifyAsync(applied, new SpotifyPlaybackNotice(applied.RoomCode, false,
                "Your Spotify was paused or is playing something else, so the room stopped playing there. Tick the box to follow the room again.", null));
            await grains.GetGrain<Abstractions.Rooms.IRoomGrain>(applied.RoomCode).SetSpotifyListeningAsync(applied.UserId, false, null);
            return;
        }

        var expected = applied.PositionAt(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var drift = (device.ProgressMs ?? 0) - expected;
        if (Math.Abs(drift) > options.Value.FollowDriftTolerance.TotalMilliseconds)
        {
            LogDrift(applied.RoomCode, applied.UserId, drift);
            slot.Applied = null;
            Offer(applied);
        }
    }

    private async Task RetryLaterAsync(Slot slot, ListenerTarget desired, TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(wait, clock, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (ReferenceEquals(slot.Desired, desired))
        {
            slot.Applied = null;
            Offer(desired);
        }
    }

    private async Task NotifyAsync(ListenerTarget target, SpotifyPlaybackNotice notice)
    {
        try
        {
            await hub.Clients.User(target.UserId).SpotifyPlayback(notice);
        }
        catch (Exception e)
        {
            LogNotifyFailed(e, target.RoomCode);
        }
    }

    private sealed class Slot
    {
        public int Scheduled;

        /// <summary>The URI last started on the device (null after a refusal), and when: what checks compare against.</summary>
        public string? PlayedUri;

        public DateTimeOffset PlayedAt;

        /// <summary>The last call found no active device: nothing the room started plays there any more.</summary>
        public bool DeviceGone;

        private ListenerTarget? _desired;
        private ListenerTarget? _applied;

        public ListenerTarget? Desired
        {
            get => Volatile.Read(ref _desired);
            set => Volatile.Write(ref _desired, value);
        }

        /// <summary>What the device was last told (or what we stopped trying); only the owning worker writes it.</summary>
        public ListenerTarget? Applied
        {
            get => Volatile.Read(ref _applied);
            set => Volatile.Write(ref _applied, value);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode}: started {Uri} at {PositionMs} ms on the Spotify of user {UserId}")]
    private partial void LogPlayed(string roomCode, string userId, string uri, int positionMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomCode}: Spotify refused a playback command for user {UserId} ({Error}, HTTP {StatusCode})")]
    private partial void LogRefused(string roomCode, string userId, string error, int? statusCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Room {RoomCode}: following on the Spotify of user {UserId} failed unexpectedly")]
    private partial void LogUnexpected(Exception exception, string roomCode, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode}: the Spotify of user {UserId} was {DriftMs} ms off the room; starting it again at the room's position")]
    private partial void LogDrift(string roomCode, string userId, int driftMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode}: user {UserId} paused or changed their Spotify; the room stops playing there")]
    private partial void LogTakenOver(string roomCode, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the Spotify devices of room listeners failed")]
    private partial void LogCheckFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell a member of room {RoomCode} about their Spotify playback")]
    private partial void LogNotifyFailed(Exception exception, string roomCode);
}

/// <summary>Checks, before a member starts following a room on Spotify, that it can work: configured, linked, Premium.</summary>
public sealed class SpotifyListeningCheck(IServiceScopeFactory scopes, ISpotifyTokenStore tokens, IOptions<SpotifyOptions> options)
{
    /// <summary>Why the user cannot play rooms on their Spotify, in words for them; null when they can.</summary>
    public async Task<string?> WhyNotAsync(string userId, CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled)
        {
            return "Spotify is not configured on this server; the room plays on the page's timeline.";
        }

        if (await tokens.GetAsync(userId, cancellationToken) is null)
        {
            return "Connect your Spotify account first.";
        }

        using var scope = scopes.CreateScope();
        try
        {
            var me = await scope.ServiceProvider.GetRequiredService<SpotifyApiClient>().GetCurrentUserAsync(userId, cancellationToken);
            return me.IsPremium ? null : "Spotify lets apps start playback only for Premium accounts; the room keeps playing on the page.";
        }
        catch (MusicProviderException e)
        {
            return e.Message;
        }
    }
}
