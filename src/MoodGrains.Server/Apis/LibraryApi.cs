using Microsoft.Extensions.Options;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Music.Library;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Identity;
using MoodGrains.Server.Library;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Server.Apis;

/// <summary>What a member's page needs to load a track's audio: a short-lived signed URL and its content type.</summary>
public sealed record TrackAudioResponse(string Url, DateTimeOffset ExpiresAt, string ContentType);

/// <summary>
/// Audio from the library: members ask for a signed URL, the audio element loads it (range requests, no
/// Authorization header). Nothing outside the library root is ever served.
/// </summary>
public static class LibraryApi
{
    public static IEndpointRouteBuilder MapLibraryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rooms/{code}/tracks/{trackId:long}/audio", async (
            string code, long trackId, HttpContext http, GrainCalls calls, LibraryRepository library, MediaUrls urls,
            IOptions<LibraryOptions> options, CancellationToken cancellationToken) =>
        {
            RoomSnapshot room;
            try
            {
                room = await calls.OnRoomAsync(code, r => r.GetSnapshotAsync());
            }
            catch (RoomException e)
            {
                return RoomErrors.ToProblem(e);
            }

            var userId = http.User.UserId();
            if (!room.Members.Any(m => m.UserId == userId))
            {
                return RoomErrors.ToProblem(new RoomException(RoomError.NotMember, "Only the room's members can listen to it."));
            }

            if (string.IsNullOrWhiteSpace(options.Value.Directory) || await library.FindByTrackAsync(trackId, cancellationToken) is not { } file)
            {
                return NoAudio(trackId);
            }

            var url = urls.Issue(trackId, userId);
            return Results.Ok(new TrackAudioResponse(url.Url, url.ExpiresAt, LibraryScanner.ContentType(file.Format)));
        }).RequireAuthorization();

        app.MapGet("/media/{trackId:long}", async (
            long trackId, string? u, string? e, string? s, HttpContext http, LibraryRepository library, MediaUrls urls,
            IOptions<LibraryOptions> options, CancellationToken cancellationToken) =>
        {
            if (urls.Validate(trackId, u, e, s) is not { } left)
            {
                return Results.Problem(title: "Forbidden", detail: "This media URL is expired or not signed by this server.", statusCode: StatusCodes.Status403Forbidden);
            }

            if (options.Value.Directory is not { Length: > 0 } root
                || await library.FindByTrackAsync(trackId, cancellationToken) is not { } file
                || LibraryScanner.ResolveInside(root, file.RelativePath) is not { } path
                || !File.Exists(path))
            {
                return NoAudio(trackId);
            }

            http.Response.Headers.CacheControl = $"private, max-age={(long)left.TotalSeconds}";
            return Results.File(path, LibraryScanner.ContentType(file.Format), lastModified: File.GetLastWriteTimeUtc(path), enableRangeProcessing: true);
        }).AllowAnonymous();

        return app;
    }

    private static IResult NoAudio(long trackId) =>
        Results.Problem(title: "NoAudio", detail: $"Track {trackId} has no audio on this server.", statusCode: StatusCodes.Status404NotFound);
}
