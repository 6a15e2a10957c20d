using Microsoft.Extensions.Options;
using MoodGrains.Music.Spotify;
using MoodGrains.Server.Operations;

namespace MoodGrains.Server.Security;

/// <summary>
/// The headers every response carries: a Content Security Policy that allows only the server's own scripts and
/// styles (the page has no inline script or style; pages may only set styles through the CSSOM), no framing by other
/// sites, no MIME sniffing and no Referer, which would carry a room code to third parties.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Where Spotify's Web Playback SDK comes from; it inserts its script and then an iframe from there.</summary>
    public const string SpotifySdkOrigin = "https://sdk.scdn.co";

    /// <summary>The page's policy; with Spotify configured it also admits the Web Playback SDK and what it talks to.</summary>
    public static string ContentSecurityPolicy(bool spotify) => string.Join("; ",
        "default-src 'self'",
        spotify ? $"script-src 'self' {SpotifySdkOrigin}" : "script-src 'self'",
        "style-src 'self'",
        spotify ? "img-src 'self' data: blob: https://i.scdn.co" : "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        // 'self' covers the hub's WebSocket on the same host.
        spotify ? "connect-src 'self' https://api.spotify.com https://*.spotify.com wss://*.spotify.com" : "connect-src 'self'",
        spotify ? $"frame-src {SpotifySdkOrigin} https://*.spotify.com" : "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    public static IApplicationBuilder UseMoodGrainsSecurityHeaders(this IApplicationBuilder app)
    {
        var spotify = app.ApplicationServices.GetRequiredService<IOptions<SpotifyOptions>>().Value.IsEnabled;
        var operators = app.ApplicationServices.GetRequiredService<IOptions<OperatorOptions>>().Value;
        var page = ContentSecurityPolicy(spotify);
        // The Orleans dashboard is a third-party page whose scripts are not ours to vouch for; it still may not be framed.
        PathString? dashboard = operators.DashboardEnabled ? new PathString(operators.DashboardPath) : (PathString?)null;
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = dashboard is { } path && context.Request.Path.StartsWithSegments(path) ? "frame-ancestors 'none'" : page;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
    }
}
