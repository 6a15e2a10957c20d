using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Server.Rooms;

/// <summary>
/// What one listener's Spotify should be doing: the room's now-playing (entry and playhead anchor), on their chosen
/// device, as of their <paramref name="Request"/>-th ask to follow (see <see cref="SpotifyListener.Request"/>).
/// </summary>
public sealed record ListenerTarget(string RoomCode, string UserId, string? DeviceId, NowPlaying? NowPlaying, int Request)
{
    public static ListenerTarget From(string roomCode, SpotifyListener listener, NowPlaying? nowPlaying) =>
        new(roomCode, listener.UserId, listener.DeviceId, nowPlaying, listener.Request);

    /// <summary>The listener left, stopped following, or the room has nothing to play.</summary>
    public static ListenerTarget Stopped(string roomCode, string userId, string? deviceId) => new(roomCode, userId, deviceId, null, 0);

    public QueueEntry? Entry => NowPlaying?.Entry;

    public bool IsPlaying => NowPlaying is { State: PlaybackState.Playing };

    public int PositionAt(long serverMs) => NowPlaying?.PositionAt(serverMs) ?? 0;
}

/// <summary>One call to make on a listener's Spotify.</summary>
public abstract record SpotifyCommand(string? DeviceId);

/// <summary><c>PUT /me/player/play</c> with the track and the position the room is at when the call is made.</summary>
public sealed record PlayTrackCommand(QueueEntry Entry, string? DeviceId) : SpotifyCommand(DeviceId);

/// <summary><c>PUT /me/player/pause</c>.</summary>
public sealed record PauseCommand(string? DeviceId) : SpotifyCommand(DeviceId);

/// <summary>
/// Decides the one Spotify call that brings a listener's device from what we last made it do to what the room does
/// now. Only changes cause calls: a seek, a resume, a new track, another device or a new ask from the member re-sends <c>play(uri, position_ms)</c>
/// (one call that sets track and position together, where a separate seek could land on the old track); pausing or
/// stopping pauses the device, but only a device we started, so following a paused room never interrupts the person's
/// own music.
/// </summary>
public static class SpotifyFollowPlan
{
    /// <summary>Within this much of the end a track is not started any more: the room is about to move on.</summary>
    public const int EndMarginMs = 1500;

    public static SpotifyCommand? Next(ListenerTarget? applied, ListenerTarget desired, long serverNowMs)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (!desired.IsPlaying)
        {
            return applied is { IsPlaying: true } ? new PauseCommand(applied.DeviceId) : null;
        }

        if (applied is { IsPlaying: true, NowPlaying: { } was }
            && was.Entry.EntryId == desired.NowPlaying!.Entry.EntryId
            && was.AnchorServerMs == desired.NowPlaying.AnchorServerMs
            && was.AnchorPositionMs == desired.NowPlaying.AnchorPositionMs
            && applied.DeviceId == desired.DeviceId
            && applied.Request == desired.Request)
        {
            return null;
        }

        if (desired.PositionAt(serverNowMs) >= desired.Entry!.Track.DurationMs - EndMarginMs)
        {
            return null;
        }

        return new PlayTrackCommand(desired.Entry, desired.DeviceId);
    }
}
