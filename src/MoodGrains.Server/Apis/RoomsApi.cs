using MoodGrains.Abstractions.Rooms;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Identity;

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
            Run(() => calls.CreateRoomAsync(http.User.UserId(), request.DisplayName, request.Solo)));

        rooms.MapGet("/{code}", (string code, IGrainFactory grains, GrainCalls calls) =>
            Run(() => calls.RetryAsync(() => grains.GetGrain<IRoomGrain>(calls.NormalizeCode(code)).GetSnapshotAsync())));

        rooms.MapPost("/{code}/members", (string code, JoinRoomRequest request, HttpContext http, IGrainFactory grains, GrainCalls calls) =>
            Run(() => calls.RetryAsync(() => grains.GetGrain<IRoomGrain>(calls.NormalizeCode(code)).JoinAsync(http.User.UserId(), request.DisplayName))));

        rooms.MapDelete("/{code}/members/me", (string code, HttpContext http, IGrainFactory grains, GrainCalls calls) =>
            Run(() => calls.RetryAsync(() => grains.GetGrain<IRoomGrain>(calls.NormalizeCode(code)).LeaveAsync(http.User.UserId()))));

        rooms.MapPost("/{code}/host", (string code, TransferHostRequest request, HttpContext http, IGrainFactory grains, GrainCalls calls) =>
            Run(() => calls.RetryAsync(() => grains.GetGrain<IRoomGrain>(calls.NormalizeCode(code)).TransferHostAsync(http.User.UserId(), request.UserId))));

        // Which silo holds the room right now: used to measure failover.
        rooms.MapGet("/{code}/location", async (string code, IGrainFactory grains, GrainCalls calls) =>
        {
            var room = grains.GetGrain<IRoomGrain>(calls.NormalizeCode(code));
            await calls.RetryAsync(() => room.GetSnapshotAsync());
            return Results.Ok(new { silo = await calls.RetryAsync(() => room.GetLocationAsync()) });
        });

        return app;
    }

    private static async Task<IResult> Run(Func<Task<RoomSnapshot>> call)
    {
        try
        {
            return Results.Ok(await call());
        }
        catch (RoomException e)
        {
            var status = e.Error switch
            {
                RoomError.RoomNotFound => StatusCodes.Status404NotFound,
                RoomError.NotHost => StatusCodes.Status403Forbidden,
                RoomError.NotMember => StatusCodes.Status403Forbidden,
                RoomError.AlreadyMember or RoomError.RoomExists or RoomError.RoomFull => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            return Results.Problem(title: e.Error.ToString(), detail: e.Message, statusCode: status);
        }
    }
}
