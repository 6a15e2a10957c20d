using System.Net;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>A signed-in stranger reads a room they are not in, over HTTP and by resuming it on the hub.</summary>
internal sealed class NonMemberReadProbe : ChaosProbe
{
    public override string Name => "non-member room read";

    public override string Expected => "GET answers 404 like an unused code (no names, moods or queue); ResumeRoom refused";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        await using var host = await cluster.MemberAsync(cluster.A, cancellationToken);
        var room = await host.CreateRoomAsync("Hostess Secret", cancellationToken);
        await using var stranger = await cluster.MemberAsync(cluster.B, cancellationToken);

        using var read = await stranger.Http.GetAsync($"/api/rooms/{room.Code}", cancellationToken);
        var body = await read.Content.ReadAsStringAsync(cancellationToken);
        var unused = RoomCode.NewCode();
        using var control = await stranger.Http.GetAsync($"/api/rooms/{unused}", cancellationToken);
        var controlBody = await control.Content.ReadAsStringAsync(cancellationToken);
        var leaks = body.Contains("Hostess Secret", StringComparison.Ordinal) || body.Contains(host.UserId, StringComparison.Ordinal);
        var alike = read.StatusCode == control.StatusCode && Shape(body, room.Code) == Shape(controlBody, unused);

        var (_, resumeError, _) = await ChaosGuest.TimedAsync(() => stranger.RoomAsync("ResumeRoom", cancellationToken, room.Code));

        var held = read.StatusCode == HttpStatusCode.NotFound && alike && !leaks && resumeError is not null;
        return new ProbeOutcome(
            $"GET {(int)read.StatusCode} (unused code {(int)control.StatusCode}, {(alike ? "same answer" : "different answer")}{(leaks ? ", body shows the host" : "")}); " +
            $"ResumeRoom {(resumeError is null ? "answered the room" : "refused: " + resumeError)}",
            held);
    }

    /// <summary>An answer with its room code blanked and the per-request trace id dropped, to compare two answers.</summary>
    internal static string Shape(string body, string code)
    {
        var shape = body.Replace(code, "CODE", StringComparison.Ordinal);
        var trace = shape.IndexOf("\"traceId\"", StringComparison.Ordinal);
        if (trace >= 0)
        {
            var end = shape.IndexOf('"', shape.IndexOf(':', trace) + 2);
            shape = shape[..trace] + shape[(end + 1)..];
        }

        return shape;
    }
}
