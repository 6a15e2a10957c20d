using MoodGrains.Hosting.Local;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MoodGrains.Server.Tests;

/// <summary>
/// The whole server in this process through <see cref="WebApplicationFactory{TEntryPoint}"/>: HTTP and SignalR over
/// the in-memory test server, no socket, one silo on its own PostgreSQL and no Redis. For API and hub behaviour where a
/// real port is not the point; one instance is shared by the "web" collection.
/// </summary>
public sealed class WebServerFixture : IAsyncLifetime
{
    private PostgresServer _postgres = null!;

    public ServerFactory Factory { get; private set; } = null!;

    public string Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        Database = await _postgres.CreateDatabaseAsync("web");
        Factory = new ServerFactory(Database);
        // Starts the host and waits until it is ready (migrations, silo, first recommender model), as SiloProcess does.
        using var client = Factory.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
            if (health.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The in-process server did not become healthy: {await health.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>A guest with a fresh session, using the rooms API.</summary>
    public async Task<HttpRooms> SignInAsync() => await HttpRooms.SignInAsync(Factory.CreateClient());

    /// <summary>A guest with a fresh session, connected to the room hub over long polling on the test server.</summary>
    public async Task<HubConnection> ConnectAsync(GuestSession? session = null)
    {
        using var http = Factory.CreateClient();
        session ??= await GuestSession.CreateAsync(http);
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Factory.Server.BaseAddress, "/hubs/room"), o =>
            {
                o.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(session.Token);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        await hub.StartAsync();
        return hub;
    }
}

/// <summary>
/// The server's own Program with test settings: its database, free silo ports, a signing key, Production, and any
/// <paramref name="settings"/> a test tier needs on top (tight rate limits, say).
/// </summary>
public sealed class ServerFactory(string postgresConnectionString, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Host configuration, so Program sees it while it builds (app configuration would arrive only after Build).
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["MoodGrains:Postgres:ConnectionString"] = postgresConnectionString,
            ["MoodGrains:Session:SigningKey"] = "bW9vZGdyYWlucy10ZXN0LXNpZ25pbmcta2V5LTMyYnl0ZXMhIQ==",
            ["MoodGrains:Silo:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MoodGrains:Silo:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MoodGrains:Silo:ClusterId"] = "web-" + Guid.NewGuid().ToString("N")[..8],
        }));
        if (settings is not null)
        {
            builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(settings));
        }

        return base.CreateHost(builder);
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebServerFixture>
{
    public const string Name = "web";
}
