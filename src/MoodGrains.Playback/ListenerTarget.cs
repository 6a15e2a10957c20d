namespace MoodGrains.Playback;

/// <summary>
/// A room's now-playing as a listener's device follows it: the queue entry, and the playhead as a server-clock anchor
/// (at Unix ms <see cref="AnchorServerMs"/> the track was at <see cref="AnchorPositionMs"/>; while playing it advances in real time).
/// </summary>
public sealed record FollowedTrack(
    string EntryId,
    long TrackId,
    string Title,
    string? SpotifyUri,
    int DurationMs,
    bool IsPlaying,
    long AnchorServerMs,
    int AnchorPositionMs)
{
    public int PositionAt(long serverMs)
    {
        var position = IsPlaying ? AnchorPositionMs + (serverMs - AnchorServerMs) : AnchorPositionMs;
        return (int)Math.Clamp(position, 0, DurationMs);
    }
}

/// <summary>
/// What one listener's Spotify should be doing: the room's now-playing on their chosen device (null: their active one),
/// as of their <paramref name="Request"/>-th ask to follow; each new ask starts the room's track on the device again.
/// </summary>
public sealed record ListenerTarget(string RoomCode, string UserId, string? DeviceId, FollowedTrack? Track, int Request)
{
    /// <summary>The listener left, stopped following, or the room has nothing to play.</summary>
    public static ListenerTarget Stopped(string roomCode, string userId, string? deviceId) => new(roomCode, userId, deviceId, null, 0);

    public bool IsPlaying => Track is { IsPlaying: true };

    public int PositionAt(long serverMs) => Track?.PositionAt(serverMs) ?? 0;
}

/// <summary>Told to one member about their own Spotify following the room: what plays there now, or why nothing does.</summary>
public sealed record SpotifyPlaybackNotice(string RoomCode, bool Ok, string Message, string? TrackTitle);
