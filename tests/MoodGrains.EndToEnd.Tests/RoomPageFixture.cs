using Microsoft.Playwright;
using MoodGrains.Testing;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// One server process and one Chromium shared by a test class whose people need no camera: each test opens its own
/// room with fresh browser contexts (fresh guests), so tests stay independent while paying for start-up once.
/// </summary>
public sealed class RoomPageFixture(PostgresFixture postgres) : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public SiloProcess Silo { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await SiloProcess.StartAsync(await postgres.Postgres.CreateDatabaseAsync("e2e_host"), clusterId: "e2e-host");
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
    }
}
