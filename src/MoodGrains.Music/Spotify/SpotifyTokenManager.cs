using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MoodGrains.Music.Spotify;

/// <summary>
/// Hands out a valid access token per user, refreshing it shortly before it expires or when Spotify
/// rejects it. One refresh at a time per user, so parallel calls don't burn a rotated refresh token twice.
/// </summary>
public sealed partial class SpotifyTokenManager(
    ISpotifyTokenStore store, SpotifyAccountsClient accounts, TimeProvider timeProvider, ILogger<SpotifyTokenManager> logger)
{
    private static readonly TimeSpan ExpirySkew = TimeSpan.FromSeconds(60);

    private readonly ISpotifyTokenStore _store = store;
    private readonly SpotifyAccountsClient _accounts = accounts;
    private readonly TimeProvider _timeProvider = timeProvider;
    private readonly ILogger<SpotifyTokenManager> _logger = logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshLocks = new(StringComparer.Ordinal);

    /// <summary>A token to call the API with.</summary>
    /// <param name="rejectedAccessToken">Set after a 401: the token Spotify refused, which must not be handed out again.</param>
    public async Task<string> GetAccessTokenAsync(string userId, string? rejectedAccessToken, CancellationToken cancellationToken)
    {
        var tokens = await LoadAsync(userId, cancellationToken);
        if (rejectedAccessToken is null && !tokens.IsExpired(_timeProvider.GetUtcNow(), ExpirySkew))
        {
            return tokens.AccessToken;
        }

        // One refresh at a time in this process; the store's row lock makes other servers take turns too.
        var gate = _refreshLocks.GetOrAdd(userId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var refreshing = false;
            try
            {
                var stored = await _store.UpdateAsync(userId, async (current, ct) =>
                {
                    // Another call, here or on another server, may have refreshed while this one waited.
                    var stillGood = rejectedAccessToken is null
                        ? !current.IsExpired(_timeProvider.GetUtcNow(), ExpirySkew)
                        : !string.Equals(current.AccessToken, rejectedAccessToken, StringComparison.Ordinal);
                    if (stillGood)
                    {
                        return current;
                    }

                    LogRefreshing(_logger, userId, rejectedAccessToken is null ? "expiry" : "rejected by Spotify");
                    refreshing = true;
                    return await _accounts.RefreshAsync(current.RefreshToken, ct);
                }, cancellationToken);
                return (stored ?? throw new MusicAccountNotLinkedException("Connect your Spotify account first.")).AccessToken;
            }
            catch (MusicAccountNotLinkedException) when (refreshing)
            {
                // The refresh token is dead (revoked app, changed password): the store removed it so the UI offers a new login.
                LogRefreshRejected(_logger, userId);
                throw;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<SpotifyTokens> LoadAsync(string userId, CancellationToken cancellationToken) =>
        await _store.GetAsync(userId, cancellationToken)
        ?? throw new MusicAccountNotLinkedException("Connect your Spotify account first.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Refreshing the Spotify token of user {UserId} ({Reason})")]
    private static partial void LogRefreshing(ILogger logger, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify refused the refresh token of user {UserId}; the login was removed")]
    private static partial void LogRefreshRejected(ILogger logger, string userId);
}
