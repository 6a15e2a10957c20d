using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MoodGrains.Hosting.Local;
using MoodGrains.Music.Spotify;
using MoodGrains.Music.Tests.Spotify;
using MoodGrains.Storage;
using MoodGrains.Server.Apis;
using MoodGrains.Server.Extensions;
using MoodGrains.Server.Options;

namespace MoodGrains.Server.Tests;

/// <summary>
/// The login round trip over HTTP: the server's own <c>AddMusic</c> and <c>MapSpotifyApi</c> on a real Kestrel port,
/// PostgreSQL for the encrypted token store, scripted fakes for Spotify's accounts service and API.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class SpotifyLoginApiTests(ServersFixture servers)
{
    private readonly ServersFixture _postgres = servers;

    [Fact]
    public async Task Login_callback_and_status_complete_the_PKCE_round_trip_and_keep_tokens_on_the_server()
    {
        var accounts = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.OK,
            """{"access_token":"server-access","token_type":"Bearer","scope":"user-read-private","expires_in":3600,"refresh_token":"server-refresh"}"""));
        var api = new ScriptedHandler((r, _) => r.Uri.AbsolutePath.EndsWith("/me", StringComparison.Ordinal) && r.BearerToken == "server-access"
            ? ScriptedHandler.Json(HttpStatusCode.OK, """{"id":"spotify-user","display_name":"Ana","product":"premium"}""")
            : ScriptedHandler.Error(HttpStatusCode.NotFound, "unexpected"));
        await using var host = await TestHost.StartAsync(_postgres, "test-client", accounts, api);
        var cookies = new CookieContainer();
        using var http = host.Client("guest-1", cookies);

        var login = await http.PostAsync(new Uri("/api/spotify/login", UriKind.Relative), null);
        login.EnsureSuccessStatusCode();
        var authorizeUrl = (await login.Content.ReadFromJsonAsync<SpotifyLoginResponse>())!.AuthorizeUrl;
        var query = QueryHelpers.ParseQuery(authorizeUrl.Query);
        Assert.Equal("test-client", query["client_id"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("true", query["show_dialog"]);

        // The same browser comes back from Spotify without our guest token; the state carries who it was.
        using var browser = host.Client(userId: null, cookies);
        var callback = await browser.GetAsync(new Uri($"/api/spotify/callback?code=the-code&state={Uri.EscapeDataString(query["state"]!)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/?spotify=connected", callback.Headers.Location?.OriginalString);
        var exchange = QueryHelpers.ParseQuery("?" + Assert.Single(accounts.Received).Body);
        Assert.Equal("the-code", exchange["code"]);
        // The verifier sent to Spotify is the one whose challenge went into the authorize URL.
        Assert.Equal(query["code_challenge"], SpotifyPkce.CreateCodeChallenge(exchange["code_verifier"]!));

        var status = await http.GetFromJsonAsync<SpotifyStatusResponse>(new Uri("/api/spotify/status", UriKind.Relative));
        Assert.Equal(new SpotifyStatusResponse(true, true, "Ana", true, null), status);
        Assert.DoesNotContain("server-access", await http.GetStringAsync(new Uri("/api/spotify/status", UriKind.Relative)), StringComparison.Ordinal);

        var other = await host.Client("guest-2").GetFromJsonAsync<SpotifyStatusResponse>(new Uri("/api/spotify/status", UriKind.Relative));
        Assert.False(other!.Linked);

        // The Web Playback SDK in the member's page gets the member's own access token, uncached; nobody else's.
        using var playerToken = await http.GetAsync(new Uri("/api/spotify/player-token", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, playerToken.StatusCode);
        var body = (await playerToken.Content.ReadFromJsonAsync<SpotifyPlayerTokenResponse>())!;
        Assert.Equal("server-access", body.AccessToken);
        Assert.True(playerToken.Headers.CacheControl?.NoStore, "a token must not be kept in the browser's cache");
        Assert.DoesNotContain("server-access", body.ToString(), StringComparison.Ordinal);
        using var notTheirs = await host.Client("guest-2").GetAsync(new Uri("/api/spotify/player-token", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, notTheirs.StatusCode);
        Assert.DoesNotContain("server-access", await notTheirs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var anonymous = await host.Client(userId: null).GetAsync(new Uri("/api/spotify/player-token", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var logout = await http.DeleteAsync(new Uri("/api/spotify/login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.False((await http.GetFromJsonAsync<SpotifyStatusResponse>(new Uri("/api/spotify/status", UriKind.Relative)))!.Linked);
    }

    [Fact]
    public async Task A_forged_state_or_a_declined_login_returns_to_the_app_with_an_error()
    {
        var accounts = new ScriptedHandler((_, _) => throw new InvalidOperationException("no exchange expected"));
        await using var host = await TestHost.StartAsync(_postgres, "test-client", accounts, accounts);
        using var browser = host.Client(userId: null);

        var forged = await browser.GetAsync(new Uri("/api/spotify/callback?code=x&state=not-ours", UriKind.Relative));
        var declined = await browser.GetAsync(new Uri("/api/spotify/callback?error=access_denied&state=x", UriKind.Relative));

        // Fixed reason codes only: the page owns the sentences, so a crafted URL cannot put words on it.
        Assert.Equal("/?spotify=error&reason=expired", forged.Headers.Location?.OriginalString);
        Assert.Equal("/?spotify=error&reason=declined", declined.Headers.Location?.OriginalString);
        Assert.Empty(accounts.Received);
    }

    [Fact]
    public async Task A_login_completed_in_another_browser_is_refused_and_links_nobody()
    {
        var accounts = new ScriptedHandler((_, _) => throw new InvalidOperationException("no exchange expected"));
        await using var host = await TestHost.StartAsync(_postgres, "test-client", accounts, accounts);
        using var attacker = host.Client("attacker");
        var login = await attacker.PostAsync(new Uri("/api/spotify/login", UriKind.Relative), null);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(SpotifyApi.NonceCookie + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        var state = QueryHelpers.ParseQuery((await login.Content.ReadFromJsonAsync<SpotifyLoginResponse>())!.AuthorizeUrl.Query)["state"];

        // The attacker's authorize URL, approved and completed in the victim's browser (its own cookie jar).
        using var victim = host.Client(userId: null);
        var callback = await victim.GetAsync(new Uri($"/api/spotify/callback?code=victims-code&state={Uri.EscapeDataString(state!)}", UriKind.Relative));

        Assert.Equal("/?spotify=error&reason=browser", callback.Headers.Location?.OriginalString);
        Assert.Empty(accounts.Received);
        Assert.Null(await host.Services.GetRequiredService<ISpotifyTokenStore>().GetAsync("attacker", default));
    }

    [Fact]
    public async Task A_failed_code_exchange_returns_a_code_not_the_providers_text()
    {
        var accounts = new ScriptedHandler((_, _) => ScriptedHandler.Error(HttpStatusCode.BadRequest, "invalid_grant: secret internal detail"));
        await using var host = await TestHost.StartAsync(_postgres, "test-client", accounts, accounts);
        using var http = host.Client("guest-1");
        var login = await http.PostAsync(new Uri("/api/spotify/login", UriKind.Relative), null);
        var state = QueryHelpers.ParseQuery((await login.Content.ReadFromJsonAsync<SpotifyLoginResponse>())!.AuthorizeUrl.Query)["state"];

        var callback = await http.GetAsync(new Uri($"/api/spotify/callback?code=bad&state={Uri.EscapeDataString(state!)}", UriKind.Relative));

        Assert.Equal("/?spotify=error&reason=failed", callback.Headers.Location?.OriginalString);
        Assert.Single(accounts.Received);
    }

    [Fact]
    public async Task Without_a_client_id_Spotify_reports_itself_off()
    {
        var unused = new ScriptedHandler((_, _) => throw new InvalidOperationException("no call expected"));
        await using var host = await TestHost.StartAsync(_postgres, clientId: null, unused, unused);
        using var http = host.Client("guest-1");

        var status = await http.GetFromJsonAsync<SpotifyStatusResponse>(new Uri("/api/spotify/status", UriKind.Relative));
        var login = await http.PostAsync(new Uri("/api/spotify/login", UriKind.Relative), null);
        var devices = await http.GetAsync(new Uri("/api/spotify/devices", UriKind.Relative));
        var playerToken = await http.GetAsync(new Uri("/api/spotify/player-token", UriKind.Relative));

        Assert.False(status!.Enabled);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, playerToken.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        Assert.Contains("MOODGRAINS_SPOTIFY_CLIENT_ID", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, devices.StatusCode);
    }

    [Fact]
    public async Task Provider_failures_reach_the_browser_as_problems_with_the_user_message()
    {
        var accounts = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.OK, "{}"));
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Error(HttpStatusCode.Forbidden, "Premium required", "PREMIUM_REQUIRED"));
        await using var host = await TestHost.StartAsync(_postgres, "test-client", accounts, api);
        using var http = host.Client("guest-1");

        var notLinked = await http.GetAsync(new Uri("/api/spotify/devices", UriKind.Relative));
        await host.Services.GetRequiredService<ISpotifyTokenStore>().SaveAsync("guest-1",
            new SpotifyTokens("a", "r", DateTimeOffset.UtcNow.AddHours(1), ""), default);
        var premium = await http.GetAsync(new Uri("/api/spotify/devices", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, notLinked.StatusCode);
        Assert.Contains("Connect your Spotify account", await notLinked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, premium.StatusCode);
        Assert.Contains("spotify-premium-required", await premium.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed class TestHost(WebApplication app, int port) : IAsyncDisposable
    {
        public IServiceProvider Services => app.Services;

        public static async Task<TestHost> StartAsync(ServersFixture servers, string? clientId, ScriptedHandler accounts, ScriptedHandler api)
        {
            var connectionString = await servers.Postgres.CreateDatabaseAsync("spotify_login");
            await DatabaseMigrator.MigrateAsync(connectionString);
            var port = FreePort.Next();
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            var settings = new Dictionary<string, string?>
            {
                [PostgresOptions.Section + ":ConnectionString"] = connectionString,
                [SpotifyOptions.Section + ":ApiBaseUrl"] = "http://spotify.test/v1/",
                [SpotifyOptions.Section + ":AccountsBaseUrl"] = "http://accounts.test/",
                [KeyRingOptions.Section + ":KeyDirectory"] = Path.Combine(Path.GetTempPath(), "moodgrains-test-keys-" + Guid.NewGuid().ToString("N")),
            };
            if (clientId is not null)
            {
                settings[SpotifyOptions.Section + ":ClientId"] = clientId;
            }

            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddOptions<PostgresOptions>().BindConfiguration(PostgresOptions.Section);
            builder.Services.AddMusic(builder.Configuration);
            builder.Services.AddHttpClient<SpotifyAccountsClient>().ConfigurePrimaryHttpMessageHandler(() => accounts);
            builder.Services.AddHttpClient<SpotifyApiClient>().ConfigurePrimaryHttpMessageHandler(() => api);
            builder.Services.AddAuthentication(HeaderAuthentication.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
            builder.Services.AddAuthorization();
            builder.Services.AddProblemDetails();
            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapSpotifyApi();
            await app.StartAsync();
            return new TestHost(app, port);
        }

        /// <summary>A browser: its own cookie jar unless <paramref name="cookies"/> makes two clients one browser.</summary>
        public HttpClient Client(string? userId, CookieContainer? cookies = null)
        {
            var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer() };
            var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            if (userId is not null)
            {
                client.DefaultRequestHeaders.Add(HeaderAuthentication.Header, userId);
            }

            return client;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Stands in for the guest tokens: the user id comes straight from a header.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Test";
        public const string Header = "X-Test-User";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(Header, out var user))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.ToString())], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
