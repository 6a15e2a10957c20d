using System.Net;
using System.Text;

namespace MoodGrains.Music.Tests.Spotify;

/// <summary>A fake server: answers each request with the next scripted response and records what it received.</summary>
public sealed class ScriptedHandler(Func<ReceivedRequest, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly Func<ReceivedRequest, int, HttpResponseMessage> _respond = respond;
    private readonly List<ReceivedRequest> _received = [];

    public IReadOnlyList<ReceivedRequest> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Error(HttpStatusCode status, string message, string? reason = null) =>
        Json(status, "{\"error\":{\"status\":" + (int)status + ",\"message\":\"" + message + "\""
            + (reason is null ? "" : ",\"reason\":\"" + reason + "\"") + "}}");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var received = new ReceivedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.Parameter, body, DateTime.UtcNow);
        int index;
        lock (_received)
        {
            _received.Add(received);
            index = _received.Count - 1;
        }

        var response = _respond(received, index);
        response.RequestMessage = request;
        return response;
    }
}

public sealed record ReceivedRequest(HttpMethod Method, Uri Uri, string? BearerToken, string? Body, DateTime At);
