using MoodGrains.Abstractions.Rooms;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Identity;
using MoodGrains.Server.Limits;

namespace MoodGrains.Server.Apis;

public sealed record CreateRoomRequest(string DisplayName, bool Solo = false);

public sealed record JoinRoomRequest(string DisplayName);

public sealed record TransferHostRequest(string UserId);

/// <summary>The same room operations as the hub, over HTTP, for scripts, the CLI and health tooling.</summary>
public static class RoomsApi
{
    public static IEndpointRouteBuilder MapRoomsApi(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/api/rooms").RequireAuthorization();

        rooms.MapPost("/", (CreateRoomRequest request, HttpContext http, GrainCalls calls) =>
            RoomErrors.ForHttpAsync(() => calls.CreateRoomAsync(http.User.UserId(), request.DisplayName, request.Solo)))
            .RequireRateLimiting(RateLimitPolicies.RoomCreate);

        // Members only: a stranger gets the same 404 as for an unused code.
        rooms.MapGet("/{code}", (string code, HttpContext http, GrainCalls calls) =>
            RoomErrors.ForHttpAsync(() => calls.ReadRoomAsMemberAsync(http.User.UserId(), code)))
            .RequireRateLimiting(RateLimitPolicies.RoomRead);

        rooms.MapPost("/{code}/members", (string code, JoinRoomRequest request, HttpContext http, GrainCalls calls) =>
            RoomErrors.ForHttpAsync(() => calls.OnRoomAsync(code, r => r.JoinAsync(http.User.UserId(), request.DisplayName))))
            .RequireRateLimiting(RateLimitPolicies.RoomJoin);

        rooms.MapDelete("/{code}/members/me", (string code, HttpContext http, GrainCalls calls) =>
            RoomErrors.ForHttpAsync(() => calls.OnRoomAsync(code, r => r.LeaveAsync(http.User.UserId()))));

        rooms.MapPost("/{code}/host", (string code, TransferHostRequest request, HttpContext http, GrainCalls calls) =>
            RoomErrors.ForHttpAsync(() => calls.OnRoomAsync(code, r => r.TransferHostAsync(http.User.UserId(), request.UserId))));

        // Which silo holds the room right now: used to measure failover.
        rooms.MapGet("/{code}/location", async (string code, IGrainFactory grains, GrainCalls calls) =>
        {
            var room = grains.GetGrain<IRoomGrain>(calls.NormalizeCode(code));
            await calls.RetryAsync(() => room.GetSnapshotAsync());
            return Results.Ok(new { silo = await calls.RetryAsync(() => room.GetLocationAsync()) });
        }).RequireRateLimiting(RateLimitPolicies.RoomRead);

        return app;
    }
}
