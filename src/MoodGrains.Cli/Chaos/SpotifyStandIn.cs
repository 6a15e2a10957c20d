using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Cli.Chaos;

/// <summary>
/// The least of Spotify the login probe needs, on a loopback port: the accounts service's token endpoint (a login
/// code becomes the access token, so the code names the account) and <c>GET /v1/me</c>. Everything else answers
/// 404 as Spotify does for an unknown path. The tests' fuller fake lives in MoodGrains.Testing, which the CLI does
/// not reference; this one needs nothing beyond the base library.
/// </summary>
internal sealed class SpotifyStandIn : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _tokenExchanges;

    private SpotifyStandIn(int port)
    {
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Login codes exchanged for tokens: a refused login must not reach Spotify at all.</summary>
    public int TokenExchanges => Volatile.Read(ref _tokenExchanges);

    /// <summary>Server settings that point MoodGrains at this stand-in.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["MOODGRAINS_SPOTIFY_CLIENT_ID"] = "chaos-client",
        ["MoodGrains__Spotify__ApiBaseUrl"] = new Uri(BaseUrl, "v1/").ToString(),
        ["MoodGrains__Spotify__AccountsBaseUrl"] = BaseUrl.ToString(),
        ["MoodGrains__Spotify__RetryBaseDelay"] = "00:00:00.100",
    };

    public static SpotifyStandIn Start() => new(FreePort.Next());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url?.AbsolutePath ?? "/";
        JsonObject body;
        var status = 200;
        if (request.HttpMethod == "POST" && path == "/api/token")
        {
            Interlocked.Increment(ref _tokenExchanges);
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var form = System.Web.HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
            var code = form["grant_type"] == "refresh_token" ? form["refresh_token"] : form["code"];
            body = new JsonObject
            {
                ["access_token"] = code,
                ["token_type"] = "Bearer",
                ["scope"] = "user-read-private user-modify-playback-state user-read-playback-state",
                ["expires_in"] = 3600,
                ["refresh_token"] = code,
            };
        }
        else if (request.HttpMethod == "GET" && path == "/v1/me" && request.Headers["Authorization"] is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            var account = auth["Bearer ".Length..];
            body = new JsonObject { ["id"] = account, ["display_name"] = account, ["country"] = "SE", ["product"] = "premium", ["type"] = "user", ["uri"] = "spotify:user:" + account };
        }
        else
        {
            status = 404;
            body = new JsonObject { ["error"] = new JsonObject { ["status"] = 404, ["message"] = "Not found" } };
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        try
        {
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
        }
    }
}
