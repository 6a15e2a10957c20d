using Microsoft.Extensions.DependencyInjection;
using MoodGrains.Music.Spotify;

namespace MoodGrains.Playback.Tests;

public sealed class SpotifyListeningCheckTests
{
    [Fact]
    public async Task Following_is_refused_without_a_configured_client_or_a_linked_account()
    {
        var tokens = new InMemorySpotifyTokenStore();
        await using var services = new ServiceCollection().BuildServiceProvider();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();

        var unconfigured = new SpotifyListeningCheck(scopes, tokens, Microsoft.Extensions.Options.Options.Create(new SpotifyOptions()));
        var configured = new SpotifyListeningCheck(scopes, tokens, Microsoft.Extensions.Options.Options.Create(new SpotifyOptions { ClientId = "client" }));

        Assert.Contains("not configured", await unconfigured.WhyNotAsync("u1", CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal("Connect your Spotify account first.", await configured.WhyNotAsync("u1", CancellationToken.None));
    }
}
