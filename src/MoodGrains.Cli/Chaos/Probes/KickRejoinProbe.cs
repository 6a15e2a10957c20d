using System.Net.Http.Json;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>The host removes a member, who at once tries to come back with the same token: on the hub, then over HTTP.</summary>
internal sealed class KickRejoinProbe : ChaosProbe
{
    public override string Name => "kick then rejoin";

    public override string Expected => "rejoin with the same token refused (banned) on the hub and over HTTP; not a member afterwards";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        await using var host = await cluster.MemberAsync(cluster.A, cancellationToken);
        var code = (await host.CreateRoomAsync("Host", cancellationToken)).Code;
        await using var pest = await cluster.MemberAsync(cluster.B, cancellationToken);
        await pest.JoinAsync(code, "Pest", cancellationToken);
        await host.RoomAsync("RemoveMember", cancellationToken, code, pest.UserId);

        var (_, hubError, hubMs) = await ChaosGuest.TimedAsync(() => pest.JoinAsync(code, "Pest again", cancellationToken));
        string? httpError = null;
        if (hubError is not null)
        {
            using var response = await pest.Http.PostAsJsonAsync($"/api/rooms/{code}/members", new { displayName = "Pest again" }, cancellationToken);
            httpError = response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode}";
        }
        else
        {
            // Out again, so the HTTP door is tried on a removed member too.
            await host.RoomAsync("RemoveMember", cancellationToken, code, pest.UserId);
            using var response = await pest.Http.PostAsJsonAsync($"/api/rooms/{code}/members", new { displayName = "Pest again" }, cancellationToken);
            httpError = response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode}";
        }

        var member = (await host.ReadRoomAsync(code, cancellationToken)).MemberIds.Contains(pest.UserId);
        var banned = hubError is not null && (hubError.Contains("ban", StringComparison.OrdinalIgnoreCase) || hubError.Contains("removed", StringComparison.OrdinalIgnoreCase));
        var held = hubError is not null && httpError is not null && !member && banned;
        return new ProbeOutcome(
            (hubError is null ? $"hub rejoin accepted in {hubMs:F0} ms" : $"hub rejoin refused: {hubError}") +
            $"; HTTP rejoin {(httpError is null ? "accepted" : "refused " + httpError)}; {(member ? "a member again" : "not a member")}",
            held);
    }
}
