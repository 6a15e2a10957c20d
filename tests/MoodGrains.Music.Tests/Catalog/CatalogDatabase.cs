using MoodGrains.Hosting.Local;
using MoodGrains.Storage;
using MoodGrains.Storage.Catalog;
using Npgsql;

namespace MoodGrains.Music.Tests.Catalog;

/// <summary>One private PostgreSQL server for the catalogue tests of this assembly.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A new database with the application migrations applied, as the server applies them at start-up.</summary>
    public async Task<CatalogDatabase> CreateDatabaseAsync()
    {
        var connectionString = await Server.CreateDatabaseAsync("music");
        await DatabaseMigrator.MigrateAsync(connectionString);
        return new CatalogDatabase(NpgsqlDataSource.Create(connectionString));
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

public sealed class CatalogDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public TrackRepository Tracks { get; } = new(dataSource);

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
