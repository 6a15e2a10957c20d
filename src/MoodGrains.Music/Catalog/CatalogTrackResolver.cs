using Microsoft.Extensions.Logging;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Catalog;

/// <summary>
/// Turns a catalogue track into something a provider can play. Tracks imported with a Spotify id need
/// nothing; others are searched by title and artist once, and the answer (including "not found") is cached
/// in <c>track_resolutions</c> so rooms don't repeat the search.
/// </summary>
public sealed partial class CatalogTrackResolver(
    IMusicProvider provider, TrackRepository tracks, TrackResolutionRepository resolutions, TimeProvider timeProvider, ILogger<CatalogTrackResolver> logger)
{
    /// <summary>After this long a "not found" is searched again: the provider's catalogue grows.</summary>
    public static readonly TimeSpan NotFoundRetention = TimeSpan.FromDays(7);

    private readonly IMusicProvider _provider = provider;
    private readonly TrackRepository _tracks = tracks;
    private readonly TrackResolutionRepository _resolutions = resolutions;
    private readonly TimeProvider _timeProvider = timeProvider;
    private readonly ILogger<CatalogTrackResolver> _logger = logger;

    /// <summary>The provider URI to play the track with, or null when the provider has no match.</summary>
    /// <param name="userId">Whose provider login to search with (typically the room's host).</param>
    public async Task<string?> ResolveUriAsync(long trackId, string userId, CancellationToken cancellationToken)
    {
        var track = await _tracks.GetAsync(trackId, cancellationToken)
            ?? throw new ArgumentException($"Track {trackId} is not in the catalogue.", nameof(trackId));
        if (track.SpotifyId is not null && _provider.Name == "spotify")
        {
            return "spotify:track:" + track.SpotifyId;
        }

        if (!_provider.IsEnabled)
        {
            return null;
        }

        var cached = await _resolutions.GetAsync(trackId, _provider.Name, cancellationToken);
        if (cached is not null && (cached.ProviderUri is not null || _timeProvider.GetUtcNow() - cached.ResolvedAt < NotFoundRetention))
        {
            return cached.ProviderUri;
        }

        var match = await _provider.ResolveAsync(userId, new TrackQuery(track.Title, track.Artists[0], track.DurationMs), cancellationToken);
        await _resolutions.SaveAsync(trackId, _provider.Name, match?.Id, match?.Uri, cancellationToken);
        if (match is not null && _provider.Name == "spotify")
        {
            // Keep the id on the track too, so later imports of Spotify data merge into this row.
            await _tracks.TrySetSpotifyIdAsync(trackId, match.Id, cancellationToken);
        }

        LogResolved(_logger, trackId, track.Title, match?.Uri ?? "(no match)");
        return match?.Uri;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resolved catalogue track {TrackId} '{Title}' to {Uri}")]
    private static partial void LogResolved(ILogger logger, long trackId, string title, string uri);
}
