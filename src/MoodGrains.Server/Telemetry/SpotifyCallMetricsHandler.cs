using System.Net;

namespace MoodGrains.Server.Telemetry;

/// <summary>
/// Counts each request to Spotify by outcome. It sits inside the retry handler, so every attempt counts: a 429
/// that a retry later turned into a success shows as one <c>rate_limited</c> and one <c>ok</c>.
/// </summary>
internal sealed class SpotifyCallMetricsHandler(MoodGrainsMetrics metrics, string api) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.SpotifyCalled(api, "failed");
            throw;
        }

        metrics.SpotifyCalled(api, OutcomeOf(response.StatusCode));
        return response;
    }

    internal static string OutcomeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => "rate_limited",
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "unauthorized",
        >= HttpStatusCode.InternalServerError => "server_error",
        >= HttpStatusCode.BadRequest => "client_error",
        _ => "ok",
    };
}
