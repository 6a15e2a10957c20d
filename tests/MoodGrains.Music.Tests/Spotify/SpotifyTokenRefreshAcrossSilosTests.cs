using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using MoodGrains.Music.Spotify;
using MoodGrains.Music.Tests.Catalog;
using MoodGrains.Storage.Catalog;
using Npgsql;

namespace MoodGrains.Music.Tests.Spotify;

/// <summary>
/// Two silos (two service providers, one database, one shared key ring) refreshing the same login at once. Spotify
/// rotates refresh tokens, so a refresh token spent twice is refused: without a lock across silos the second
/// refresh would log the user out.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SpotifyTokenRefreshAcrossSilosTests(PostgresFixture postgres)
{
    private static readonly Uri Api = new("http://spotify.test/v1/");
    private static readonly Uri Accounts = new("http://accounts.test/");

    [Fact]
    public async Task Two_silos_refreshing_at_once_spend_the_refresh_token_once_and_keep_the_login()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var accounts = new RotatingAccounts();
        var keys = new EphemeralDataProtectionProvider();
        await using var siloA = Silo(keys, db.DataSource, accounts.Handler);
        await using var siloB = Silo(keys, db.DataSource, accounts.Handler);
        await siloA.GetRequiredService<ISpotifyTokenStore>().SaveAsync("u1", Expired("refresh-1"), default);

        var tokens = await Task.WhenAll(
            siloA.GetRequiredService<SpotifyTokenManager>().GetAccessTokenAsync("u1", null, default),
            siloB.GetRequiredService<SpotifyTokenManager>().GetAccessTokenAsync("u1", null, default));

        Assert.Single(accounts.Handler.Received);
        Assert.Equal(["access-2", "access-2"], tokens);
        var stored = await siloB.GetRequiredService<ISpotifyTokenStore>().GetAsync("u1", default);
        Assert.Equal("refresh-2", stored?.RefreshToken);
    }

    [Fact]
    public async Task A_refresh_token_Spotify_refuses_removes_the_stored_login()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var accounts = new RotatingAccounts();
        accounts.Spent.TryAdd("refresh-1", true);
        await using var silo = Silo(new EphemeralDataProtectionProvider(), db.DataSource, accounts.Handler);
        await silo.GetRequiredService<ISpotifyTokenStore>().SaveAsync("u1", Expired("refresh-1"), default);

        await Assert.ThrowsAsync<MusicAccountNotLinkedException>(
            () => silo.GetRequiredService<SpotifyTokenManager>().GetAccessTokenAsync("u1", null, default));

        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM spotify_tokens"));
    }

    private static SpotifyTokens Expired(string refreshToken) =>
        new("access-1", refreshToken, DateTimeOffset.UtcNow.AddMinutes(-1), "user-read-private");

    private static ServiceProvider Silo(IDataProtectionProvider keys, NpgsqlDataSource dataSource, HttpMessageHandler accounts)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(keys);
        services.AddSingleton(new SpotifyTokenRepository(dataSource));
        services.AddSingleton<ISpotifyTokenStore, ProtectedSpotifyTokenStore>();
        services.AddSpotify(o =>
        {
            o.ClientId = "test-client";
            o.ApiBaseUrl = Api;
            o.AccountsBaseUrl = Accounts;
        });
        services.AddHttpClient<SpotifyAccountsClient>().ConfigurePrimaryHttpMessageHandler(() => accounts);
        return services.BuildServiceProvider();
    }

    /// <summary>Spotify's token endpoint as it behaves with rotation: each refresh token works once.</summary>
    private sealed class RotatingAccounts
    {
        public RotatingAccounts() => Handler = new ScriptedHandler((request, index) =>
        {
            var presented = request.Body?.Split('&').Select(Uri.UnescapeDataString).FirstOrDefault(p => p.StartsWith("refresh_token=", StringComparison.Ordinal))?["refresh_token=".Length..];
            if (presented is null || !Spent.TryAdd(presented, true))
            {
                return ScriptedHandler.Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"Invalid refresh token"}""");
            }

            // Slow enough that the other silo asks while this refresh is under way.
            Thread.Sleep(300);
            var n = index + 2;
            return ScriptedHandler.Json(HttpStatusCode.OK,
                $$"""{"access_token":"access-{{n}}","token_type":"Bearer","scope":"user-read-private","expires_in":3600,"refresh_token":"refresh-{{n}}"}""");
        });

        public ConcurrentDictionary<string, bool> Spent { get; } = new(StringComparer.Ordinal);

        public ScriptedHandler Handler { get; }
    }
}
