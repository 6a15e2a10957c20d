namespace MoodGrains.Music;

/// <summary>A track as a provider describes it.</summary>
/// <param name="Id">The provider's id, e.g. a Spotify base-62 id.</param>
/// <param name="Uri">What the provider's player accepts, e.g. <c>spotify:track:...</c>.</param>
public sealed record ProviderTrack(
    string Id,
    string Uri,
    string Title,
    IReadOnlyList<string> Artists,
    string? Album,
    int DurationMs,
    int? Popularity,
    string? Isrc);

/// <summary>What is known of a catalogue entry before it is resolved to a provider's track.</summary>
public sealed record TrackQuery(string Title, string Artist, int? DurationMs = null);

public sealed record PlaybackDevice(string? Id, string Name, string Type, bool IsActive, bool IsRestricted, int? VolumePercent);

public sealed record DevicePlayback(PlaybackDevice? Device, bool IsPlaying, int? ProgressMs, ProviderTrack? Track);

/// <param name="TrackUris">Provider URIs to play, first one now.</param>
/// <param name="PositionMs">Where to start in the first track.</param>
/// <param name="DeviceId">Target device; null means the user's active device.</param>
public sealed record PlayRequest(IReadOnlyList<string> TrackUris, int PositionMs = 0, string? DeviceId = null);
