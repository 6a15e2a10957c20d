using MoodGrains.Hosting.Local;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>A plain server for test classes whose people need no camera and no Spotify.</summary>
public sealed class RoomPageFixture(PostgresFixture postgres) : BrowserServerFixture(postgres)
{
    protected override async Task<SiloProcess> StartServerAsync(PostgresServer postgres) =>
        await SiloProcess.StartAsync(await postgres.CreateDatabaseAsync("e2e_host"), clusterId: "e2e-host");
}
