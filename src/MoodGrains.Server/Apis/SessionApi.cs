using MoodGrains.Server.Identity;
using MoodGrains.Server.Limits;

namespace MoodGrains.Server.Apis;

public sealed record SessionResponse(string UserId, string Token, DateTimeOffset ExpiresAt);

public static class SessionApi
{
    /// <summary>A guest gets a signed identity on first visit; no account needed.</summary>
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/session", (GuestTokens tokens) =>
        {
            var (userId, token, expiresAt) = tokens.Issue();
            return TypedResults.Ok(new SessionResponse(userId, token, expiresAt));
        }).RequireRateLimiting(RateLimitPolicies.Sessions);
        return app;
    }
}
