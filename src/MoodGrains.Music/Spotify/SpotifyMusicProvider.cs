using Microsoft.Extensions.Options;
using MoodGrains.Music.Catalog;

namespace MoodGrains.Music.Spotify;

/// <summary><see cref="IMusicProvider"/> over the Spotify Web API.</summary>
public sealed class SpotifyMusicProvider(SpotifyApiClient client, IOptions<SpotifyOptions> options) : IMusicProvider
{
    private readonly SpotifyApiClient _client = client;
    private readonly SpotifyOptions _options = options.Value;

    public string Name => "spotify";

    public bool IsEnabled => _options.IsEnabled;

    public Task<IReadOnlyList<ProviderTrack>> SearchTracksAsync(string userId, string query, int limit, CancellationToken cancellationToken) =>
        _client.SearchTracksAsync(userId, query, limit, cancellationToken);

    public Task<ProviderTrack?> GetTrackAsync(string userId, string providerTrackId, CancellationToken cancellationToken) =>
        _client.GetTrackAsync(userId, providerTrackId, cancellationToken);

    public async Task<ProviderTrack?> ResolveAsync(string userId, TrackQuery track, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(track);
        // Field filters narrow the search to the title and artist; quotes keep multi-word names together.
        var query = $"track:\"{track.Title.Replace("\"", "", StringComparison.Ordinal)}\" artist:\"{track.Artist.Replace("\"", "", StringComparison.Ordinal)}\"";
        var candidates = await _client.SearchTracksAsync(userId, query, Math.Min(5, _options.SearchLimit), cancellationToken);
        return TrackMatcher.Best(track, candidates);
    }

    public Task<IReadOnlyList<PlaybackDevice>> GetDevicesAsync(string userId, CancellationToken cancellationToken) =>
        _client.GetDevicesAsync(userId, cancellationToken);

    public Task<DevicePlayback?> GetPlaybackStateAsync(string userId, CancellationToken cancellationToken) =>
        _client.GetPlaybackStateAsync(userId, cancellationToken);

    public Task PlayAsync(string userId, PlayRequest request, CancellationToken cancellationToken) =>
        _client.PlayAsync(userId, request, cancellationToken);

    public Task PauseAsync(string userId, string? deviceId, CancellationToken cancellationToken) =>
        _client.PauseAsync(userId, deviceId, cancellationToken);

    public Task SeekAsync(string userId, int positionMs, string? deviceId, CancellationToken cancellationToken) =>
        _client.SeekAsync(userId, positionMs, deviceId, cancellationToken);

    public Task AddToQueueAsync(string userId, string trackUri, string? deviceId, CancellationToken cancellationToken) =>
        _client.AddToQueueAsync(userId, trackUri, deviceId, cancellationToken);

    public Task TransferPlaybackAsync(string userId, string deviceId, bool play, CancellationToken cancellationToken) =>
        _client.TransferPlaybackAsync(userId, deviceId, play, cancellationToken);
}
