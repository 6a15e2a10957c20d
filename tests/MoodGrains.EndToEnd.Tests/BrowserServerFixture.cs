using Microsoft.Playwright;
using MoodGrains.Hosting.Local;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// One server process and one Chromium shared by a test class: each test opens its own room with fresh browser
/// contexts (fresh guests), so tests stay independent while paying for start-up once. Subclasses say how the server
/// is started.
/// </summary>
public abstract class BrowserServerFixture(PostgresFixture postgres) : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public SiloProcess Silo { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await StartServerAsync(postgres.Postgres);
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

        await DisposeServicesAsync();
    }

    protected abstract Task<SiloProcess> StartServerAsync(PostgresServer postgres);

    /// <summary>Stops whatever else the subclass started for its server, after the server has stopped.</summary>
    protected virtual Task DisposeServicesAsync() => Task.CompletedTask;
}
