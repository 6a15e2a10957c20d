using MoodGrains.Hosting.Local;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// A server whose Spotify is the local fake (Spotify itself is out of reach here), and the fake to read the player
/// commands the server sent.
/// </summary>
public sealed class SpotifyPageFixture(PostgresFixture postgres) : BrowserServerFixture(postgres)
{
    public FakeSpotify Spotify { get; private set; } = null!;

    protected override async Task<SiloProcess> StartServerAsync(PostgresServer postgres)
    {
        Spotify = await FakeSpotify.StartAsync();
        // Spotify sends the browser back to the registered redirect URI, so it must name this server's port.
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>(Spotify.Environment)
        {
            ["MOODGRAINS_SPOTIFY_REDIRECT_URI"] = $"http://127.0.0.1:{port}/api/spotify/callback",
        };
        return await SiloProcess.StartAsync(
            await postgres.CreateDatabaseAsync("e2e_spotify"), clusterId: "e2e-spotify", environment: environment, httpPort: port);
    }

    protected override async Task DisposeServicesAsync()
    {
        if (Spotify is not null)
        {
            await Spotify.DisposeAsync();
        }
    }
}
