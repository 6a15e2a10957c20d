using Microsoft.AspNetCore.SignalR;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Server.Hubs;

/// <summary>One mapping of a refused room operation to what callers see: a hub error or an HTTP problem.</summary>
public static class RoomErrors
{
    /// <summary>
    /// A rate limit refused the call (429 over HTTP). Raised at the server's edge, never by a grain, so it is a code
    /// here rather than a <see cref="RoomError"/> that crosses grain boundaries.
    /// </summary>
    public const string TooFast = "TooFast";

    /// <summary>
    /// The database was briefly unreachable (a restart): nothing was done that the caller cannot simply do again
    /// (503 over HTTP).
    /// </summary>
    public const string TryAgain = "TryAgain";

    public const string TryAgainMessage = "The database is restarting; try again in a moment.";

    /// <summary>The error code leads the message so hub clients can branch on it without parsing prose.</summary>
    public static HubException ToHubException(RoomError error, string message) => ToHubException(error.ToString(), message);

    public static HubException ToHubException(string code, string message) => new($"{code}: {message}");

    public static HubException ToHubException(RoomException e) => ToHubException(e.Error, e.Message);

    public static IResult ToProblem(RoomException e) =>
        Results.Problem(title: e.Error.ToString(), detail: e.Message, statusCode: StatusCodeOf(e.Error));

    public static int StatusCodeOf(RoomError error) => error switch
    {
        RoomError.RoomNotFound or RoomError.RoomClosed => StatusCodes.Status404NotFound,
        RoomError.NotHost or RoomError.NotMember or RoomError.Banned => StatusCodes.Status403Forbidden,
        RoomError.AlreadyMember or RoomError.RoomExists or RoomError.RoomFull or RoomError.QueueFull => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Runs a hub call, turning a refusal into the hub error the page shows.</summary>
    public static async Task<T> ForHubAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RoomException e)
        {
            throw ToHubException(e);
        }
    }

    /// <summary>Runs an HTTP call: 200 with the result, or the refusal as a problem.</summary>
    public static async Task<IResult> ForHttpAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return Results.Ok(await call());
        }
        catch (RoomException e)
        {
            return ToProblem(e);
        }
        catch (Exception e) when (Persistence.TransientPostgres.Is(e))
        {
            return Results.Problem(title: TryAgain, detail: TryAgainMessage, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
