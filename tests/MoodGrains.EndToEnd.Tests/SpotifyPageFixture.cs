using Microsoft.Playwright;
using MoodGrains.Testing;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// A server whose Spotify is the local fake (Spotify itself is out of reach here), one Chromium shared by the people
/// of the test, and the fake to read the player commands the server sent.
/// </summary>
public sealed class SpotifyPageFixture(PostgresFixture postgres) : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public FakeSpotify Spotify { get; private set; } = null!;

    public SiloProcess Silo { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Spotify = await FakeSpotify.StartAsync();
        // Spotify sends the browser back to the registered redirect URI, so it must name this server's port.
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>(Spotify.Environment)
        {
            ["MOODGRAINS_SPOTIFY_REDIRECT_URI"] = $"http://127.0.0.1:{port}/api/spotify/callback",
        };
        Silo = await SiloProcess.StartAsync(
            await postgres.Postgres.CreateDatabaseAsync("e2e_spotify"), clusterId: "e2e-spotify", environment: environment, httpPort: port);
        _playwright = await Playwright.CreateAsync();
        Browser = await Person.LaunchSharedBrowserAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }

        if (Spotify is not null)
        {
            await Spotify.DisposeAsync();
        }
    }
}
