using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;
using MoodGrains.Music.Spotify;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Identity;
using MoodGrains.Storage.Users;

namespace MoodGrains.Server.Apis;

/// <summary>The caller's own data.</summary>
public static partial class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        // Erases the guest: leaves their room, clears their user grain (name, mood) and deletes their plays (with
        // the emotion probabilities stored beside each), Spotify link and users row. The token stays valid but
        // now names a stranger with no history.
        app.MapDelete("/api/me", async (HttpContext http, IGrainFactory grains, GrainCalls calls, GuestDataRepository data, ISpotifyTokenStore spotify, ILogger<GuestDataRepository> logger, CancellationToken ct) =>
        {
            var userId = http.User.UserId();
            var user = grains.GetGrain<IUserGrain>(userId);
            if ((await calls.RetryAsync(() => user.GetProfileAsync())).CurrentRoom is { } room)
            {
                try
                {
                    await calls.OnRoomAsync(room, r => r.LeaveAsync(userId));
                }
                catch (RoomException)
                {
                    // Already gone from it (or the room is): nothing to leave.
                }
            }

            await calls.RetryAsync(async () =>
            {
                await user.ForgetAsync();
                return true;
            });
            // Through the store as well as the table, whichever store this server was configured with.
            await spotify.DeleteAsync(userId, ct);
            var plays = await data.DeleteAsync(userId, ct);
            LogErased(logger, userId, plays);
            return TypedResults.NoContent();
        }).RequireAuthorization();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} erased their data ({Plays} plays)")]
    private static partial void LogErased(ILogger logger, string userId, int plays);
}
