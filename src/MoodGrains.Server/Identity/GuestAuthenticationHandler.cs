using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MoodGrains.Server.Identity;

/// <summary>
/// Authenticates a request by its guest token: the Authorization header, or access_token in the query string on the
/// room hub only, where browsers cannot set headers. A token in a REST URL would end up in logs and histories, so
/// there it is ignored.
/// </summary>
public sealed class GuestAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    GuestTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Guest";

    /// <summary>The room hub's path: the one place a token may come in the query string.</summary>
    public static readonly PathString HubPath = "/hubs/room";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (Request.Path.StartsWithSegments(HubPath) && Request.Query.TryGetValue("access_token", out var fromQuery))
        {
            // Browsers cannot set headers on WebSocket or EventSource requests; SignalR sends the token here.
            token = fromQuery.ToString();
        }

        if (token is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var userId = tokens.Validate(token);
        if (userId is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The session token is invalid or expired; ask for a new one at POST /api/session."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

public static class ClaimsPrincipalExtensions
{
    public static string UserId(this ClaimsPrincipal? principal) =>
        principal?.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("The request is not authenticated.");
}
