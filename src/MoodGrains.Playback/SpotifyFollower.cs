using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoodGrains.Music;
using MoodGrains.Music.Catalog;
using MoodGrains.Music.Spotify;

namespace MoodGrains.Playback;

/// <summary>
/// Plays rooms on their members' own Spotify devices. Spotify's queue cannot be reordered or cleared, so the room
/// keeps the queue and this hands each listener's device one track at a time with <c>play(uri, position_ms)</c>,
/// computed from the room's server-clock anchor when the call goes out.
/// <para>
/// Rooms publish after every change and never wait: a <see cref="LatestWinsScheduler{TKey, TValue}"/> keeps the
/// latest target per listener, so a burst of changes collapses into one call with the newest state. Failures
/// (no Premium, no active device, rate limits, Spotify down) go to that member's page and never back to the room.
/// A periodic look at each device puts a drifted one back at the room's position and lets go of one the person took back.
/// </para>
/// </summary>
public sealed partial class SpotifyFollower
{
    private const int Workers = 4;

    // Spotify may report the previous track for a moment after a play command; checks wait this long after one.
    private static readonly TimeSpan CheckGrace = TimeSpan.FromSeconds(4);

    private readonly IServiceScopeFactory _scopes;
    private readonly ISpotifyFollowOutput _output;
    private readonly IOptions<SpotifyOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly LatestWinsScheduler<(string Room, string User), ListenerTarget> _scheduler;
    private readonly ConcurrentDictionary<(string Room, string User), Listener> _listeners = new();
    private readonly ConcurrentDictionary<string, string[]> _roomListeners = new();

    public SpotifyFollower(IServiceScopeFactory scopes, ISpotifyFollowOutput output, IOptions<SpotifyOptions> options, TimeProvider clock, ILogger<SpotifyFollower> logger)
    {
        _scopes = scopes;
        _output = output;
        _options = options;
        _clock = clock;
        _logger = logger;
        _scheduler = new(ApplyAsync, Failed, ForgetWhenIdle);
    }

    /// <summary>What the room's listeners should hear now; every listener who dropped out since the last call is stopped.</summary>
    public void Publish(string roomCode, IReadOnlyList<ListenerTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (!_options.Value.IsEnabled)
        {
            return;
        }

        var current = targets.Select(l => l.UserId).ToArray();
        var previous = _roomListeners.TryGetValue(roomCode, out var known) ? known : [];
        if (current.Length == 0)
        {
            _roomListeners.TryRemove(roomCode, out _);
        }
        else
        {
            _roomListeners[roomCode] = current;
        }

        foreach (var target in targets)
        {
            _scheduler.Offer((roomCode, target.UserId), target);
        }

        foreach (var gone in previous.Except(current, StringComparer.Ordinal))
        {
            // Stopped following or left the room: pause what we started on their device.
            if (_scheduler.Latest((roomCode, gone)) is not null)
            {
                var device = _listeners.TryGetValue((roomCode, gone), out var listener) ? listener.Applied?.DeviceId : null;
                _scheduler.Offer((roomCode, gone), ListenerTarget.Stopped(roomCode, gone, device));
            }
        }
    }

    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_scheduler.RunAsync(Workers, stoppingToken), CheckDevicesAsync(stoppingToken));

    private Listener StateOf(ListenerTarget target) => _listeners.GetOrAdd((target.RoomCode, target.UserId), _ => new Listener());

    private void Failed((string Room, string User) key, ListenerTarget desired, Exception e)
    {
        // Not a provider answer (those are handled inside): log it and let the next change try afresh.
        LogUnexpected(e, desired.RoomCode, desired.UserId);
        StateOf(desired).Applied = desired;
    }

    private bool ForgetWhenIdle((string Room, string User) key)
    {
        if (!_listeners.TryGetValue(key, out var listener) || listener.Applied is not { IsPlaying: false, Track: null }
            || (_roomListeners.TryGetValue(key.Room, out var users) && users.Contains(key.User, StringComparer.Ordinal)))
        {
            return false;
        }

        _listeners.TryRemove(KeyValuePair.Create(key, listener));
        return true;
    }

    private async Task ApplyAsync((string Room, string User) key, ListenerTarget desired, CancellationToken stoppingToken)
    {
        var listener = StateOf(desired);
        var command = SpotifyFollowPlan.Next(listener.Applied, desired, _clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (command is null)
        {
            listener.Applied = desired;
            return;
        }

        using var scope = _scopes.CreateScope();
        var provider = scope.ServiceProvider.GetRequiredService<IMusicProvider>();
        try
        {
            switch (command)
            {
                case PauseCommand when listener.DeviceGone:
                    // The last call found no active device (the app was closed): nothing the room started plays there,
                    // and whatever plays there by now is the person's own, so it is left alone.
                    listener.Applied = desired;
                    await NotifyAsync(desired, true, "The room no longer plays on your Spotify.", null);
                    break;

                case PauseCommand pause:
                    await provider.PauseAsync(desired.UserId, pause.DeviceId, stoppingToken);
                    listener.Applied = desired;
                    listener.DeviceGone = false;
                    await NotifyAsync(desired, true, "Paused on your Spotify.", null);
                    break;

                case PlayTrackCommand play:
                    await PlayAsync(listener, desired, play, provider, scope.ServiceProvider, stoppingToken);
                    break;
            }
        }
        catch (MusicProviderException e)
        {
            // Marked as done, so the same refusal is not repeated in a loop; the room's next change tries again.
            listener.Applied = desired;
            listener.PlayedUri = null;
            // Other refusals (rate limit, Spotify down) leave the device playing what it played, which a pause must reach.
            listener.DeviceGone = e is NoActiveDeviceException;
            LogRefused(desired.RoomCode, desired.UserId, e.GetType().Name, e.StatusCode);
            await NotifyAsync(desired, false, e.Message, desired.Track?.Title);
            if (e is MusicRateLimitedException { RetryAfter: { } wait } && desired.IsPlaying)
            {
                // Spotify asked us to come back later: retry this target then, unless the room has moved on by then.
                _ = RetryLaterAsync(listener, desired, wait, stoppingToken);
            }
        }
    }

    private async Task PlayAsync(Listener listener, ListenerTarget desired, PlayTrackCommand play, IMusicProvider provider, IServiceProvider services, CancellationToken stoppingToken)
    {
        var track = play.Track;
        var uri = track.SpotifyUri ?? await services.GetRequiredService<CatalogTrackResolver>().ResolveUriAsync(track.TrackId, desired.UserId, stoppingToken);
        if (uri is null)
        {
            if (listener.Applied is { IsPlaying: true } playing)
            {
                await provider.PauseAsync(desired.UserId, playing.DeviceId, stoppingToken);
            }

            listener.Applied = desired with { Track = null };
            await NotifyAsync(desired, false,
                $"\"{track.Title}\" is not on Spotify; your Spotify waits for the next track while the page keeps the room's timeline.", track.Title);
            return;
        }

        // The position is taken as late as possible: resolving the track may have taken a search.
        var position = desired.PositionAt(_clock.GetUtcNow().ToUnixTimeMilliseconds());
        await provider.PlayAsync(desired.UserId, new PlayRequest([uri], position, play.DeviceId), stoppingToken);
        listener.PlayedUri = uri;
        listener.PlayedAt = _clock.GetUtcNow();
        listener.Applied = desired;
        listener.DeviceGone = false;
        LogPlayed(desired.RoomCode, desired.UserId, uri, position);
        await NotifyAsync(desired, true, $"Playing \"{track.Title}\" on your Spotify.", track.Title);
    }

    private async Task CheckDevicesAsync(CancellationToken stoppingToken)
    {
        var interval = _options.Value.FollowCheckInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var (key, listener) in _listeners)
            {
                try
                {
                    await CheckDeviceAsync(key, listener, stoppingToken);
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
    private async Task CheckDeviceAsync((string Room, string User) key, Listener listener, CancellationToken stoppingToken)
    {
        var applied = listener.Applied;
        var uri = listener.PlayedUri;
        if (applied is not { IsPlaying: true } || uri is null || !IsCurrent(key, applied)
            || _clock.GetUtcNow() - listener.PlayedAt < CheckGrace)
        {
            return;
        }

        DevicePlayback? device;
        using (var scope = _scopes.CreateScope())
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

        if (!ReferenceEquals(_scheduler.Latest(key), applied) || !ReferenceEquals(listener.PlayedUri, uri))
        {
            return; // the room moved on while we asked
        }

        var expected = applied.PositionAt(_clock.GetUtcNow().ToUnixTimeMilliseconds());
        switch (SpotifyFollowPlan.Judge(device, uri, expected, _options.Value.FollowDriftTolerance, out var drift))
        {
            case DeviceVerdict.TakenOver:
                // Marked stopped first, so leaving the listeners does not pause what the person plays now.
                listener.Applied = applied with { Track = null };
                listener.PlayedUri = null;
                LogTakenOver(applied.RoomCode, applied.UserId);
                await NotifyAsync(applied, false,
                    "Your Spotify was paused or is playing something else, so the room stopped playing there. Tick the box to follow the room again.", null);
                await _output.StopFollowingAsync(applied.RoomCode, applied.UserId);
                break;

            case DeviceVerdict.Drifted:
                LogDrift(applied.RoomCode, applied.UserId, drift);
                listener.Applied = null;
                _scheduler.Offer(key, applied);
                break;
        }
    }

    /// <summary>The applied target is still the latest and nothing newer waits: checks compare against a settled state only.</summary>
    private bool IsCurrent((string Room, string User) key, ListenerTarget applied) =>
        ReferenceEquals(_scheduler.Latest(key), applied) && !_scheduler.IsPending(key);

    private async Task RetryLaterAsync(Listener listener, ListenerTarget desired, TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(wait, _clock, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var key = (desired.RoomCode, desired.UserId);
        if (ReferenceEquals(_scheduler.Latest(key), desired))
        {
            listener.Applied = null;
            _scheduler.Offer(key, desired);
        }
    }

    private async Task NotifyAsync(ListenerTarget target, bool ok, string message, string? trackTitle)
    {
        try
        {
            await _output.NotifyAsync(target.UserId, new SpotifyPlaybackNotice(target.RoomCode, ok, message, trackTitle));
        }
        catch (Exception e)
        {
            LogNotifyFailed(e, target.RoomCode);
        }
    }

    /// <summary>One listener's device as far as we know it; only the worker applying its targets writes it (checks aside).</summary>
    private sealed class Listener
    {
        private ListenerTarget? _applied;

        /// <summary>The URI last started on the device (null after a refusal), and when: what checks compare against.</summary>
        public string? PlayedUri { get; set; }

        public DateTimeOffset PlayedAt { get; set; }

        /// <summary>The last call found no active device: nothing the room started plays there any more.</summary>
        public bool DeviceGone { get; set; }

        /// <summary>What the device was last told (or what we stopped trying).</summary>
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
