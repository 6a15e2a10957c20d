using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MoodGrains.Music;
using MoodGrains.Music.Spotify;

namespace MoodGrains.Playback;

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
