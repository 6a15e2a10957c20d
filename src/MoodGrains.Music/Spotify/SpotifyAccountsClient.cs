using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace MoodGrains.Music.Spotify;

/// <summary>The accounts service: exchanges an authorization code (with its PKCE verifier) and refreshes tokens.</summary>
public sealed class SpotifyAccountsClient(HttpClient httpClient, IOptions<SpotifyOptions> options, TimeProvider timeProvider)
{
    private readonly HttpClient _httpClient = httpClient;
    private readonly SpotifyOptions _options = options.Value;
    private readonly TimeProvider _timeProvider = timeProvider;

    public Task<SpotifyTokens> ExchangeCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken) =>
        RequestTokenAsync(
            [
                new("grant_type", "authorization_code"),
                new("code", code),
                new("redirect_uri", _options.RedirectUri.AbsoluteUri),
                new("client_id", RequireClientId()),
                new("code_verifier", codeVerifier),
            ],
            previousRefreshToken: null,
            cancellationToken);

    /// <summary>
    /// Trades a refresh token for a new access token. Spotify may or may not rotate the refresh token;
    /// when it sends none, the old one stays valid and is kept.
    /// </summary>
    public Task<SpotifyTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestTokenAsync(
            [
                new("grant_type", "refresh_token"),
                new("refresh_token", refreshToken),
                new("client_id", RequireClientId()),
            ],
            previousRefreshToken: refreshToken,
            cancellationToken);

    private async Task<SpotifyTokens> RequestTokenAsync(
        KeyValuePair<string, string>[] form, string? previousRefreshToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.AccountsBaseUrl, "api/token"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new MusicProviderUnavailableException("Spotify's login service cannot be reached right now. Try again in a moment.", e);
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
            {
                // invalid_grant: the code was used already, or the user revoked the app. Only a new login helps.
                throw new MusicAccountNotLinkedException("Spotify did not accept the login. Please connect Spotify again.")
                {
                    StatusCode = (int)response.StatusCode,
                };
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new MusicProviderUnavailableException("Spotify's login service is having trouble. Try again in a moment.")
                {
                    StatusCode = (int)response.StatusCode,
                };
            }

            var body = await response.Content.ReadFromJsonAsync(SpotifyJsonContext.Default.TokenResponse, cancellationToken)
                ?? throw new MusicProviderUnavailableException("Spotify's login service sent an empty answer.");
            var refresh = body.RefreshToken ?? previousRefreshToken
                ?? throw new MusicProviderUnavailableException("Spotify's login service sent no refresh token.");
            return new SpotifyTokens(body.AccessToken, refresh, _timeProvider.GetUtcNow().AddSeconds(body.ExpiresIn), body.Scope ?? "");
        }
    }

    private string RequireClientId() =>
        _options.ClientId ?? throw new InvalidOperationException("Spotify is not configured: set MOODGRAINS_SPOTIFY_CLIENT_ID.");
}
