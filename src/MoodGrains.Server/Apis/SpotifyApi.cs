using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MoodGrains.Music;
using MoodGrains.Music.Spotify;
using MoodGrains.Server.Identity;
using MoodGrains.Server.Limits;

namespace MoodGrains.Server.Apis;

public sealed record SpotifyStatusResponse(bool Enabled, bool Linked, string? DisplayName, bool? Premium, string? Message);

public sealed record SpotifyLoginResponse(Uri AuthorizeUrl);

/// <summary>The member's own access token, for the Web Playback SDK in their page; deliberately without a readable ToString.</summary>
public sealed record SpotifyPlayerTokenResponse(string AccessToken)
{
    public override string ToString() => "SpotifyPlayerTokenResponse { AccessToken = *** }";
}

/// <summary>
/// Spotify login (Authorization Code with PKCE) and a few read endpoints for the UI. The browser never sees a
/// Spotify token: the callback stores them server-side, encrypted, under the guest's user id.
/// </summary>
public static class SpotifyApi
{
    // The PKCE verifier and the user id travel inside the OAuth state, encrypted and valid for 10 minutes, so the
    // callback works on whichever silo the browser lands on without server-side session storage.
    private const string StatePurpose = "MoodGrains.Spotify.LoginState.v1";
    private static readonly TimeSpan LoginLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Binds a login to the browser that started it: a random nonce in an HttpOnly cookie and in the encrypted state.
    /// A callback whose browser lacks the cookie (someone else's link, say) links nobody.
    /// </summary>
    public const string NonceCookie = "moodgrains.spotify-login";
    private const string CookiePath = "/api/spotify";

    public static IEndpointRouteBuilder MapSpotifyApi(this IEndpointRouteBuilder app)
    {
        var spotify = app.MapGroup("/api/spotify");

        spotify.MapGet("/status", async (HttpContext http, IOptions<SpotifyOptions> options, ISpotifyTokenStore store, SpotifyApiClient client, CancellationToken ct) =>
        {
            if (!options.Value.IsEnabled)
            {
                return TypedResults.Ok(new SpotifyStatusResponse(false, false, null, null,
                    "Spotify is not configured on this server; MoodGrains plays its own catalogue."));
            }

            var userId = http.User.UserId();
            if (await store.GetAsync(userId, ct) is null)
            {
                return TypedResults.Ok(new SpotifyStatusResponse(true, false, null, null, null));
            }

            try
            {
                var me = await client.GetCurrentUserAsync(userId, ct);
                return TypedResults.Ok(new SpotifyStatusResponse(true, true, me.DisplayName, me.IsPremium,
                    me.IsPremium ? null : "Playback control needs Spotify Premium; search and your top tracks still work."));
            }
            catch (MusicProviderException e)
            {
                return TypedResults.Ok(new SpotifyStatusResponse(true, e is not MusicAccountNotLinkedException, null, null, e.Message));
            }
        }).RequireAuthorization();

        spotify.MapPost("/login", Results<Ok<SpotifyLoginResponse>, ProblemHttpResult> (HttpContext http, IOptions<SpotifyOptions> options, IDataProtectionProvider protection) =>
        {
            if (!options.Value.IsEnabled)
            {
                return NotConfigured();
            }

            var verifier = SpotifyPkce.CreateCodeVerifier();
            var nonce = SpotifyPkce.CreateState();
            var state = StateProtector(protection).Protect($"{http.User.UserId()}\n{verifier}\n{nonce}", LoginLifetime);
            var url = SpotifyPkce.BuildAuthorizeUrl(options.Value, state, SpotifyPkce.CreateCodeChallenge(verifier));
            // Lax, not Strict: the callback is a top-level navigation coming from Spotify's site.
            http.Response.Cookies.Append(NonceCookie, nonce, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                Path = CookiePath,
                MaxAge = LoginLifetime,
            });
            return TypedResults.Ok(new SpotifyLoginResponse(url));
        }).RequireAuthorization();

        // Spotify redirects the browser here; it carries no guest token, the encrypted state identifies the user.
        spotify.MapGet("/callback", async (string? code, string? state, string? error, HttpContext http, IDataProtectionProvider protection,
            SpotifyAccountsClient accounts, ISpotifyTokenStore store, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var cookie = http.Request.Cookies[NonceCookie];
            // One use: whatever the outcome, the next login starts afresh.
            http.Response.Cookies.Delete(NonceCookie, new CookieOptions { Path = CookiePath, Secure = http.Request.IsHttps, HttpOnly = true, SameSite = SameSiteMode.Lax });
            if (error is not null || code is null || state is null)
            {
                return Back(error == "access_denied" ? LoginError.Declined : LoginError.Failed);
            }

            string[] parts;
            try
            {
                parts = StateProtector(protection).Unprotect(state).Split('\n');
            }
            catch (CryptographicException)
            {
                return Back(LoginError.Expired);
            }

            var logger = loggers.CreateLogger(typeof(SpotifyApi));
            if (parts.Length != 3 || cookie is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(parts[2])))
            {
                SpotifyApiLog.OtherBrowser(logger, parts[0]);
                return Back(LoginError.Browser);
            }

            try
            {
                var tokens = await accounts.ExchangeCodeAsync(code, parts[1], ct);
                await store.SaveAsync(parts[0], tokens, ct);
                SpotifyApiLog.Linked(logger, parts[0]);
                return TypedResults.Redirect("/?spotify=connected");
            }
            catch (MusicProviderException e)
            {
                SpotifyApiLog.LinkFailed(logger, e, parts[0]);
                return Back(LoginError.Failed);
            }
        }).AllowAnonymous();

        spotify.MapDelete("/login", async (HttpContext http, ISpotifyTokenStore store, CancellationToken ct) =>
        {
            await store.DeleteAsync(http.User.UserId(), ct);
            return TypedResults.NoContent();
        }).RequireAuthorization();

        spotify.MapGet("/devices", (HttpContext http, IOptions<SpotifyOptions> options, IMusicProvider provider, CancellationToken ct) =>
            Call(options, () => provider.GetDevicesAsync(http.User.UserId(), ct))).RequireAuthorization();

        spotify.MapGet("/search", (string q, HttpContext http, IOptions<SpotifyOptions> options, IMusicProvider provider, CancellationToken ct) =>
            Call(options, () => provider.SearchTracksAsync(http.User.UserId(), q, options.Value.SearchLimit, ct))).RequireAuthorization()
            .RequireRateLimiting(RateLimitPolicies.Search);

        // The one exception to "tokens never leave the server": Spotify's Web Playback SDK runs in the member's page and
        // asks it for an access token. Only the caller's own (the user id comes from their guest token, never from the
        // request), refreshed as needed, never cached by the browser, and never logged.
        spotify.MapGet("/player-token", async (HttpContext http, IOptions<SpotifyOptions> options, SpotifyTokenManager tokens, CancellationToken ct) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return await Call(options, async () => new SpotifyPlayerTokenResponse(await tokens.GetAccessTokenAsync(http.User.UserId(), null, ct)));
        }).RequireAuthorization();

        return app;
    }

    /// <summary>Runs a provider call and turns its typed failures into problem responses carrying the user-facing message.</summary>
    public static async Task<IResult> Call<T>(IOptions<SpotifyOptions> options, Func<Task<T>> call)
    {
        if (!options.Value.IsEnabled)
        {
            return NotConfigured();
        }

        try
        {
            return TypedResults.Ok(await call());
        }
        catch (MusicProviderException e)
        {
            return ToProblem(e);
        }
    }

    public static ProblemHttpResult ToProblem(MusicProviderException e)
    {
        var (status, type) = e switch
        {
            MusicAccountNotLinkedException => (StatusCodes.Status409Conflict, "spotify-not-linked"),
            PremiumRequiredException => (StatusCodes.Status403Forbidden, "spotify-premium-required"),
            MusicAccessDeniedException => (StatusCodes.Status403Forbidden, "spotify-access-denied"),
            NoActiveDeviceException => (StatusCodes.Status409Conflict, "spotify-no-active-device"),
            MusicRateLimitedException => (StatusCodes.Status429TooManyRequests, "spotify-rate-limited"),
            MusicProviderUnavailableException => (StatusCodes.Status503ServiceUnavailable, "spotify-unavailable"),
            _ => (StatusCodes.Status502BadGateway, "spotify-error"),
        };
        var extensions = new Dictionary<string, object?>();
        if (e is MusicRateLimitedException { RetryAfter: { } retryAfter })
        {
            extensions["retryAfterSeconds"] = (int)Math.Ceiling(retryAfter.TotalSeconds);
        }

        return TypedResults.Problem(detail: e.Message, statusCode: status, title: "Spotify", type: type, extensions: extensions);
    }

    private static ProblemHttpResult NotConfigured() => TypedResults.Problem(
        detail: "Spotify is not configured on this server (MOODGRAINS_SPOTIFY_CLIENT_ID is not set); MoodGrains plays its own catalogue.",
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Spotify", type: "spotify-not-configured");

    private static ITimeLimitedDataProtector StateProtector(IDataProtectionProvider protection) =>
        protection.CreateProtector(StatePurpose).ToTimeLimitedDataProtector();

    /// <summary>
    /// Back to the page with a failed login. Only a fixed code travels in the URL and the page owns the sentences, so
    /// a crafted link cannot put words on the page.
    /// </summary>
    private static RedirectHttpResult Back(LoginError reason) =>
        TypedResults.Redirect($"/?spotify=error&reason={reason.ToString().ToLowerInvariant()}");

    /// <summary>Why a Spotify login did not complete; the page (app.js) has a sentence for each.</summary>
    public enum LoginError
    {
        /// <summary>Spotify did not complete the login, or the code exchange failed.</summary>
        Failed,

        /// <summary>The user pressed Cancel on Spotify's consent screen.</summary>
        Declined,

        /// <summary>The state is unreadable: older than ten minutes, or not made by this service.</summary>
        Expired,

        /// <summary>The callback came to a browser without the login's nonce cookie: not the one that started it.</summary>
        Browser,
    }
}

internal static partial class SpotifyApiLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} connected Spotify")]
    public static partial void Linked(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Spotify login of user {UserId} was completed in a browser that did not start it; refused")]
    public static partial void OtherBrowser(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} could not connect Spotify")]
    public static partial void LinkFailed(ILogger logger, Exception exception, string userId);
}
