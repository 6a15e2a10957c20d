using MoodGrains.Music;

namespace MoodGrains.Playback;

/// <summary>One call to make on a listener's Spotify.</summary>
public abstract record SpotifyCommand(string? DeviceId);

/// <summary><c>PUT /me/player/play</c> with the track and the position the room is at when the call is made.</summary>
public sealed record PlayTrackCommand(FollowedTrack Track, string? DeviceId) : SpotifyCommand(DeviceId);

/// <summary><c>PUT /me/player/pause</c>.</summary>
public sealed record PauseCommand(string? DeviceId) : SpotifyCommand(DeviceId);

/// <summary>What a look at a followed device found.</summary>
public enum DeviceVerdict
{
    /// <summary>Plays the room's track near the room's position.</summary>
    InStep,

    /// <summary>Plays the room's track, but too far from the room's position.</summary>
    Drifted,

    /// <summary>Paused, or playing something else: the person took their Spotify back.</summary>
    TakenOver,
}

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

        if (applied is { IsPlaying: true, Track: { } was }
            && was.EntryId == desired.Track!.EntryId
            && was.AnchorServerMs == desired.Track.AnchorServerMs
            && was.AnchorPositionMs == desired.Track.AnchorPositionMs
            && applied.DeviceId == desired.DeviceId
            && applied.Request == desired.Request)
        {
            return null;
        }

        if (desired.PositionAt(serverNowMs) >= desired.Track!.DurationMs - EndMarginMs)
        {
            return null;
        }

        return new PlayTrackCommand(desired.Track, desired.DeviceId);
    }

    /// <summary>
    /// Judges a device the room started <paramref name="playedUri"/> on: taken over when it is paused or plays
    /// anything else, drifted when its position is more than <paramref name="tolerance"/> off <paramref name="expectedPositionMs"/>.
    /// </summary>
    /// <param name="driftMs">Device position minus the room's position (0 unless it plays the room's track).</param>
    public static DeviceVerdict Judge(DevicePlayback? device, string playedUri, int expectedPositionMs, TimeSpan tolerance, out int driftMs)
    {
        driftMs = 0;
        if (device is not { IsPlaying: true } || device.Track?.Uri != playedUri)
        {
            return DeviceVerdict.TakenOver;
        }

        driftMs = (device.ProgressMs ?? 0) - expectedPositionMs;
        return Math.Abs(driftMs) > tolerance.TotalMilliseconds ? DeviceVerdict.Drifted : DeviceVerdict.InStep;
    }
}
