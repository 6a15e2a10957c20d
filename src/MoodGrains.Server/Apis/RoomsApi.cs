using MoodGrains.Abstractions.Rooms;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Identity;
using MoodGrains.Server.Limits;
using QRCoder;

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

        // The invitation as a QR code, for a phone across the table; only members may invite.
        rooms.MapGet("/{code}/invite.svg", async (string code, HttpContext http, GrainCalls calls) =>
        {
            try
            {
                var snapshot = await calls.OnRoomAsync(code, r => r.GetSnapshotAsync());
                if (snapshot.Members.All(m => m.UserId != http.User.UserId()))
                {
                    throw new RoomException(RoomError.NotMember, "Only members can invite to this room.");
                }

                return Results.Text(InviteQrSvg(InviteLink(http.Request, snapshot.Code)), "image/svg+xml");
            }
            catch (RoomException e)
            {
                return RoomErrors.ToProblem(e);
            }
        });

        // Which silo holds the room right now: used to measure failover. Members only, with the same 404 as a room read.
        rooms.MapGet("/{code}/location", (string code, HttpContext http, IGrainFactory grains, GrainCalls calls) =>
            RoomErrors.ForHttpAsync(async () =>
            {
                var snapshot = await calls.ReadRoomAsMemberAsync(http.User.UserId(), code);
                var room = grains.GetGrain<IRoomGrain>(snapshot.Code);
                return new { silo = await calls.RetryAsync(() => room.GetLocationAsync()) };
            }))
            .RequireRateLimiting(RateLimitPolicies.RoomRead);

        return app;
    }

    /// <summary>The link the page shows for the room: the page's own address with the room code, as the browser sees it.</summary>
    public static string InviteLink(HttpRequest request, string code) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/?room={Uri.EscapeDataString(code)}";

    public static string InviteQrSvg(string link)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(link, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(6);
    }
}
