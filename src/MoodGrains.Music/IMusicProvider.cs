namespace MoodGrains.Music;

/// <summary>
/// A streaming service the rooms can search and play through. Every call names the user on whose
/// behalf it runs, because catalogue and playback APIs answer with that user's market, rights and devices.
/// A second provider plugs in here without grains knowing which one is behind it.
/// </summary>
public interface IMusicProvider
{
    /// <summary>Short stable name, e.g. "spotify"; stored beside resolved references.</summary>
    string Name { get; }

    /// <summary>False when the provider is not configured (no client id): the UI then offers the local catalogue only.</summary>
    bool IsEnabled { get; }

    Task<IReadOnlyList<ProviderTrack>> SearchTracksAsync(string userId, string query, int limit, CancellationToken cancellationToken);

    /// <summary>The track, or null when the provider does not know the id.</summary>
    Task<ProviderTrack?> GetTrackAsync(string userId, string providerTrackId, CancellationToken cancellationToken);

    /// <summary>Finds the provider's track for a catalogue entry known only by title and artist; null when nothing matches well.</summary>
    Task<ProviderTrack?> ResolveAsync(string userId, TrackQuery track, CancellationToken cancellationToken);

    Task<IReadOnlyList<PlaybackDevice>> GetDevicesAsync(string userId, CancellationToken cancellationToken);

    /// <summary>What the user's account is playing now, or null when nothing is active.</summary>
    Task<DevicePlayback?> GetPlaybackStateAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Starts the given tracks at a position; rooms use the position to join listeners in sync.</summary>
    Task PlayAsync(string userId, PlayRequest request, CancellationToken cancellationToken);

    Task PauseAsync(string userId, string? deviceId, CancellationToken cancellationToken);

    Task SeekAsync(string userId, int positionMs, string? deviceId, CancellationToken cancellationToken);

    Task AddToQueueAsync(string userId, string trackUri, string? deviceId, CancellationToken cancellationToken);

    Task TransferPlaybackAsync(string userId, string deviceId, bool play, CancellationToken cancellationToken);
}
