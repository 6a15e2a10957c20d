using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>
/// A real PostgreSQL and Redis for the whole assembly, plus a database per test class so that clusters started by
/// different classes never see each other.
/// </summary>
public sealed class ServersFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        Redis = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "servers";
}
