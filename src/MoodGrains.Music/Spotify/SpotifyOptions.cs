using System.Net;
using Microsoft.Extensions.Options;

namespace MoodGrains.Music.Spotify;

/// <summary>
/// Spotify Web API settings, bound from the <c>MoodGrains:Spotify</c> configuration section;
/// <c>MOODGRAINS_SPOTIFY_CLIENT_ID</c> and <c>MOODGRAINS_SPOTIFY_REDIRECT_URI</c> override it.
/// Without a client id Spotify is off and the service runs on its local catalogue.
/// </summary>
public sealed class SpotifyOptions
{
    public const string Section = "MoodGrains:Spotify";

    /// <summary>The app's client id from the Spotify developer dashboard. PKCE needs no client secret.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Where Spotify sends the browser back after login. Must be registered in the dashboard exactly;
    /// Spotify accepts plain http only on a loopback IP literal (127.0.0.1 or [::1]), never "localhost".
    /// </summary>
    public Uri RedirectUri { get; set; } = new("http://127.0.0.1:5080/api/spotify/callback");

    public Uri ApiBaseUrl { get; set; } = new("https://api.spotify.com/v1/");

    public Uri AccountsBaseUrl { get; set; } = new("https://accounts.spotify.com/");

    /// <summary>
    /// Scopes asked for at login: profile, top tracks, reading and controlling playback, and what the Web Playback SDK
    /// needs to make the member's page a device (streaming, user-read-email).
    /// </summary>
    public string Scopes { get; set; } =
        "user-read-private user-read-email user-top-read user-read-playback-state user-modify-playback-state user-read-currently-playing streaming";

    /// <summary>Page size for search; apps in development mode may ask for at most 10.</summary>
    public int SearchLimit { get; set; } = 10;

    /// <summary>Market for search and track look-ups; null lets Spotify use the user's country (from the token).</summary>
    public string? Market { get; set; }

    /// <summary>Retries after a 429 or a 5xx before the error reaches the caller.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay for 5xx retries; it doubles (with jitter) per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest Retry-After we wait out inside one call. A longer one is returned to the caller as
    /// <see cref="MusicRateLimitedException"/> instead of holding a room's request open.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls sampled before the circuit breaker may open.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 5;

    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often rooms look at the devices of members who play the room on their {Key} a device that drifted is
    /// put back at the room's position, one that plays something else stops following. Zero turns the checks off.
    /// </summary>
    public TimeSpan FollowCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How far a listener's device may be from the room before it is put back (Spotify alone keeps devices within about 0.5 s).</summary>
    public TimeSpan FollowDriftTolerance { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>True when a client id is set; everything Spotify-related is skipped otherwise.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>Start-up validation with messages that name the configuration key to fix.</summary>
public sealed class SpotifyOptionsValidator : IValidateOptions<SpotifyOptions>
{
    private const string Key = SpotifyOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, SpotifyOptions options)
    {
        var failures = new List<string>();
        if (!options.ApiBaseUrl.IsAbsoluteUri)
        {
            failures.Add($"{Key}ApiBaseUrl must be an absolute URL, e.g. https://api.spotify.com/v1/.");
        }

        if (!options.AccountsBaseUrl.IsAbsoluteUri)
        {
            failures.Add($"{Key}AccountsBaseUrl must be an absolute URL, e.g. https://accounts.spotify.com/.");
        }

        if (options.IsEnabled)
        {
            if (!options.RedirectUri.IsAbsoluteUri)
            {
                failures.Add($"MOODGRAINS_SPOTIFY_REDIRECT_URI ({Key}RedirectUri) must be an absolute URL such as http://127.0.0.1:5080/api/spotify/callback.");
            }
            else if (options.RedirectUri.Scheme == Uri.UriSchemeHttp && !IsLoopbackLiteral(options.RedirectUri))
            {
                failures.Add($"{Key}RedirectUri '{options.RedirectUri}' uses http on a non-loopback host. Spotify accepts http only for " +
                    "the loopback addresses 127.0.0.1 or [::1] (not 'localhost'); use https otherwise.");
            }
            else if (options.RedirectUri.Scheme != Uri.UriSchemeHttp && options.RedirectUri.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add($"{Key}RedirectUri must use http (loopback) or https.");
            }
        }

        if (options.SearchLimit is < 1 or > 10)
        {
            failures.Add($"{Key}SearchLimit must be between 1 and 10 (the limit for apps in development mode).");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{Key}MaxRetries must be between 0 and 10.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.MaxRetryAfter < TimeSpan.Zero || options.AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Key}RetryBaseDelay and {Key}AttemptTimeout must be positive and {Key}MaxRetryAfter not negative.");
        }

        if (options.CircuitBreakerMinimumThroughput < 2 || options.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{Key}CircuitBreakerMinimumThroughput must be at least 2 and {Key}CircuitBreakerBreakDuration at least 0.5 s.");
        }

        if (options.FollowCheckInterval < TimeSpan.Zero || options.FollowDriftTolerance < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{Key}FollowCheckInterval must not be negative (zero turns the checks off) and {Key}FollowDriftTolerance must be at least 0.5 s.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopbackLiteral(Uri uri) =>
        IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address);
}
