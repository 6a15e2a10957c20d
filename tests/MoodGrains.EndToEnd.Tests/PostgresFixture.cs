using MoodGrains.Hosting.Local;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>One real PostgreSQL for the assembly; each test class gets its own database through it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public async Task InitializeAsync() => Postgres = await PostgresServer.StartAsync();

    public Task DisposeAsync() => Postgres.DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
