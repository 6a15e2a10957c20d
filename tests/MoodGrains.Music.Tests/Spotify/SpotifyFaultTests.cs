using System.Net;
using MoodGrains.Music.Spotify;
using Polly.CircuitBreaker;

namespace MoodGrains.Music.Tests.Spotify;

/// <summary>How the client behaves when Spotify limits, rejects or fails, against scripted fakes.</summary>
public sealed class SpotifyFaultTests
{
    private const string TrackJson = """{"id":"4iV5W9uYEdYUVa79Axb7Rh","uri":"spotify:track:4iV5W9uYEdYUVa79Axb7Rh","name":"Song","duration_ms":200000,"artists":[{"name":"Band"}]}""";
    private const string TokenJson = """{"access_token":"access-2","token_type":"Bearer","scope":"user-read-private","expires_in":3600}""";

    private static readonly Uri Api = new("http://spotify.test/v1/");
    private static readonly Uri Accounts = new("http://accounts.test/");

    [Fact]
    public async Task A_429_is_retried_after_the_Retry_After_delay()
    {
        var api = new ScriptedHandler((_, i) => i == 0 ? RateLimited(1) : ScriptedHandler.Json(HttpStatusCode.OK, TrackJson));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api);
        await host.LinkAsync();

        var track = await host.Client.GetTrackAsync(SpotifyTestHost.UserId, "4iV5W9uYEdYUVa79Axb7Rh", default);

        Assert.Equal("Song", track?.Title);
        Assert.Equal(2, api.Received.Count);
        // The server's schedule, not our back-off (20 ms here), decides the wait.
        Assert.True(api.Received[1].At - api.Received[0].At >= TimeSpan.FromMilliseconds(950),
            $"retried after {(api.Received[1].At - api.Received[0].At).TotalMilliseconds} ms");
        Assert.Contains(host.Logs.Lines, l => l.Contains("waiting 1000 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_we_wait_is_handed_to_the_caller()
    {
        var api = new ScriptedHandler((_, _) => RateLimited(120));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api);
        await host.LinkAsync();

        var error = await Assert.ThrowsAsync<MusicRateLimitedException>(
            () => host.Client.SearchTracksAsync(SpotifyTestHost.UserId, "abba", 5, default));

        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(api.Received);
    }

    [Fact]
    public async Task A_401_refreshes_the_token_once_and_repeats_the_call()
    {
        var api = new ScriptedHandler((r, _) => r.BearerToken == "access-1"
            ? ScriptedHandler.Error(HttpStatusCode.Unauthorized, "The access token expired")
            : ScriptedHandler.Json(HttpStatusCode.OK, TrackJson));
        var accounts = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.OK, TokenJson));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api, accountsHandler: () => accounts);
        await host.LinkAsync();

        var track = await host.Client.GetTrackAsync(SpotifyTestHost.UserId, "4iV5W9uYEdYUVa79Axb7Rh", default);

        Assert.NotNull(track);
        Assert.Equal(["access-1", "access-2"], api.Received.Select(r => r.BearerToken));
        var refresh = Assert.Single(accounts.Received);
        Assert.Contains("grant_type=refresh_token", refresh.Body, StringComparison.Ordinal);
        Assert.Contains("refresh_token=refresh-1", refresh.Body, StringComparison.Ordinal);
        Assert.Contains("client_id=test-client", refresh.Body, StringComparison.Ordinal);
        var stored = await host.Store.GetAsync(SpotifyTestHost.UserId, default);
        Assert.Equal("access-2", stored?.AccessToken);
        // Spotify sent no new refresh token, so the old one must be kept.
        Assert.Equal("refresh-1", stored?.RefreshToken);
    }

    [Fact]
    public async Task A_second_401_after_refreshing_asks_the_user_to_log_in_again_without_looping()
    {
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Error(HttpStatusCode.Unauthorized, "Invalid access token"));
        var accounts = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.OK, TokenJson));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api, accountsHandler: () => accounts);
        await host.LinkAsync();

        var error = await Assert.ThrowsAsync<MusicAccountNotLinkedException>(
            () => host.Client.GetDevicesAsync(SpotifyTestHost.UserId, default));

        Assert.Contains("connect Spotify again", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, api.Received.Count);
        Assert.Single(accounts.Received);
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_before_the_call()
    {
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.OK, TrackJson));
        var accounts = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.OK,
            """{"access_token":"access-2","token_type":"Bearer","scope":"s","expires_in":3600,"refresh_token":"refresh-2"}"""));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api, accountsHandler: () => accounts);
        await host.LinkAsync(validFor: TimeSpan.FromSeconds(-5));

        await host.Client.GetTrackAsync(SpotifyTestHost.UserId, "4iV5W9uYEdYUVa79Axb7Rh", default);

        Assert.Equal("access-2", Assert.Single(api.Received).BearerToken);
        Assert.Equal("refresh-2", (await host.Store.GetAsync(SpotifyTestHost.UserId, default))?.RefreshToken);
    }

    [Fact]
    public async Task A_refused_refresh_token_removes_the_login()
    {
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.OK, TrackJson));
        var accounts = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.BadRequest,
            """{"error":"invalid_grant","error_description":"Refresh token revoked"}"""));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api, accountsHandler: () => accounts);
        await host.LinkAsync(validFor: TimeSpan.FromSeconds(-5));

        await Assert.ThrowsAsync<MusicAccountNotLinkedException>(
            () => host.Client.GetTrackAsync(SpotifyTestHost.UserId, "4iV5W9uYEdYUVa79Axb7Rh", default));

        Assert.Empty(api.Received);
        Assert.Null(await host.Store.GetAsync(SpotifyTestHost.UserId, default));
    }

    [Fact]
    public async Task A_user_without_a_login_gets_a_clear_error()
    {
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => new ScriptedHandler((_, _) => throw new InvalidOperationException("no call expected")));

        var error = await Assert.ThrowsAsync<MusicAccountNotLinkedException>(
            () => host.Client.SearchTracksAsync("stranger", "abba", 5, default));
        Assert.Contains("Connect your Spotify account", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Premium_required_becomes_a_typed_error_with_a_readable_message()
    {
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Error(HttpStatusCode.Forbidden, "Player command failed: Premium required", "PREMIUM_REQUIRED"));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api);
        await host.LinkAsync();

        var error = await Assert.ThrowsAsync<PremiumRequiredException>(
            () => host.Provider.PlayAsync(SpotifyTestHost.UserId, new PlayRequest(["spotify:track:4iV5W9uYEdYUVa79Axb7Rh"], 1000), default));

        Assert.Equal(403, error.StatusCode);
        Assert.Contains("Spotify Premium", error.Message, StringComparison.Ordinal);
        Assert.Single(api.Received);
    }

    [Fact]
    public async Task A_403_outside_the_player_is_an_access_error_not_a_premium_error()
    {
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Error(HttpStatusCode.Forbidden, "User not registered in the Developer Dashboard"));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api);
        await host.LinkAsync();

        var error = await Assert.ThrowsAsync<MusicAccessDeniedException>(
            () => host.Client.GetCurrentUserAsync(SpotifyTestHost.UserId, default));
        Assert.Contains("user list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_active_device_becomes_a_typed_error_with_a_readable_message()
    {
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Error(HttpStatusCode.NotFound, "Player command failed: No active device found", "NO_ACTIVE_DEVICE"));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api);
        await host.LinkAsync();

        var error = await Assert.ThrowsAsync<NoActiveDeviceException>(
            () => host.Provider.SeekAsync(SpotifyTestHost.UserId, 5000, null, default));

        Assert.Equal(404, error.StatusCode);
        Assert.Contains("Open Spotify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_track_is_null_not_an_error()
    {
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Error(HttpStatusCode.NotFound, "Non existing id"));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api);
        await host.LinkAsync();

        Assert.Null(await host.Client.GetTrackAsync(SpotifyTestHost.UserId, "0000000000000000000000", default));
    }

    [Fact]
    public async Task A_5xx_on_a_read_is_retried_with_back_off()
    {
        var api = new ScriptedHandler((_, i) => i < 2
            ? ScriptedHandler.Error(HttpStatusCode.BadGateway, "bad gateway")
            : ScriptedHandler.Json(HttpStatusCode.OK, TrackJson));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api);
        await host.LinkAsync();

        var track = await host.Client.GetTrackAsync(SpotifyTestHost.UserId, "4iV5W9uYEdYUVa79Axb7Rh", default);

        Assert.NotNull(track);
        Assert.Equal(3, api.Received.Count);
    }

    [Fact]
    public async Task A_5xx_on_add_to_queue_is_not_retried_because_it_may_have_queued()
    {
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Error(HttpStatusCode.InternalServerError, "oops"));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api);
        await host.LinkAsync();

        await Assert.ThrowsAsync<MusicProviderUnavailableException>(
            () => host.Provider.AddToQueueAsync(SpotifyTestHost.UserId, "spotify:track:4iV5W9uYEdYUVa79Axb7Rh", null, default));
        Assert.Single(api.Received);
    }

    [Fact]
    public async Task Persistent_5xx_opens_the_circuit_and_later_calls_fail_fast()
    {
        var api = new ScriptedHandler((_, _) => ScriptedHandler.Error(HttpStatusCode.ServiceUnavailable, "down"));
        await using var host = new SpotifyTestHost(Api, Accounts, o =>
        {
            o.MaxRetries = 2;
            o.CircuitBreakerMinimumThroughput = 4;
            o.CircuitBreakerBreakDuration = TimeSpan.FromMinutes(1);
        }, apiHandler: () => api);
        await host.LinkAsync();

        MusicProviderUnavailableException? broken = null;
        for (var call = 0; call < 5 && broken is null; call++)
        {
            var error = await Assert.ThrowsAsync<MusicProviderUnavailableException>(
                () => host.Client.GetDevicesAsync(SpotifyTestHost.UserId, default));
            if (error.InnerException is BrokenCircuitException)
            {
                broken = error;
            }
        }

        Assert.NotNull(broken);
        Assert.Contains("paused calls", broken.Message, StringComparison.Ordinal);
        var reachedServer = api.Received.Count;
        await Assert.ThrowsAsync<MusicProviderUnavailableException>(() => host.Client.GetDevicesAsync(SpotifyTestHost.UserId, default));
        Assert.Equal(reachedServer, api.Received.Count);
        Assert.Contains(host.Logs.Lines, l => l.Contains("calls are paused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tokens_never_reach_the_logs()
    {
        var api = new ScriptedHandler((r, _) => r.BearerToken == "secret-access-1"
            ? ScriptedHandler.Error(HttpStatusCode.Unauthorized, "expired")
            : ScriptedHandler.Error(HttpStatusCode.Forbidden, "Premium required", "PREMIUM_REQUIRED"));
        var accounts = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.OK,
            """{"access_token":"secret-access-2","token_type":"Bearer","scope":"s","expires_in":3600,"refresh_token":"secret-refresh-2"}"""));
        await using var host = new SpotifyTestHost(Api, Accounts, apiHandler: () => api, accountsHandler: () => accounts);
        await host.LinkAsync("secret-access-1", "secret-refresh-1");

        await Assert.ThrowsAsync<PremiumRequiredException>(() => host.Provider.PauseAsync(SpotifyTestHost.UserId, null, default));

        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("secret-", StringComparison.Ordinal));
        var stored = await host.Store.GetAsync(SpotifyTestHost.UserId, default);
        Assert.DoesNotContain("secret-", stored!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_code_exchange_sends_the_PKCE_verifier_and_redirect_uri()
    {
        var accounts = new ScriptedHandler((_, _) => ScriptedHandler.Json(HttpStatusCode.OK,
            """{"access_token":"a","token_type":"Bearer","scope":"user-read-private","expires_in":3600,"refresh_token":"r"}"""));
        await using var host = new SpotifyTestHost(Api, Accounts, accountsHandler: () => accounts);

        var tokens = await host.Get<SpotifyAccountsClient>().ExchangeCodeAsync("the-code", "the-verifier", default);

        Assert.Equal("r", tokens.RefreshToken);
        Assert.True(tokens.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(50));
        var request = Assert.Single(accounts.Received);
        Assert.Equal(new Uri(Accounts, "api/token"), request.Uri);
        var form = request.Body!.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal("authorization_code", form["grant_type"]);
        Assert.Equal("the-code", form["code"]);
        Assert.Equal("the-verifier", form["code_verifier"]);
        Assert.Equal("test-client", form["client_id"]);
        Assert.Equal("http://127.0.0.1:5080/api/spotify/callback", form["redirect_uri"]);
    }

    private static HttpResponseMessage RateLimited(int seconds)
    {
        var response = ScriptedHandler.Error(HttpStatusCode.TooManyRequests, "API rate limit exceeded");
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    }
}
