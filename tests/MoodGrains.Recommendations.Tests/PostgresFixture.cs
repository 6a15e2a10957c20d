using MoodGrains.Hosting.Local;
using MoodGrains.Storage;
using Npgsql;

namespace MoodGrains.Recommendations.Tests;

/// <summary>One private PostgreSQL cluster shared by every test in this assembly that needs one; each test creates its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A fresh database with the application schema applied by the production migrator.</summary>
    public async Task<NpgsqlDataSource> CreateSchemaAsync()
    {
        var connectionString = await Server.CreateDatabaseAsync("recs");
        await DatabaseMigrator.MigrateAsync(connectionString);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        return dataSource;
    }
}
