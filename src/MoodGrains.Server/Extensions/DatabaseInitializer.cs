using Microsoft.Extensions.Options;
using MoodGrains.Music.Catalog;
using MoodGrains.Server.Options;
using MoodGrains.Storage;
using Npgsql;

namespace MoodGrains.Server.Extensions;

/// <summary>
/// Brings the database schema up to date before the silo joins the cluster (the silo needs the Orleans tables to
/// join at all). Waits a while for PostgreSQL, which may still be starting next to us.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IOptions<PostgresOptions> options,
    DemoCatalogSeeder demoCatalog,
    ILogger<DatabaseInitializer> logger)
{
    private static readonly TimeSpan WaitForDatabase = TimeSpan.FromSeconds(60);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var connectionString = options.Value.ConnectionString;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            try
            {
                await OrleansSchema.ApplyAsync(connectionString, cancellationToken);
                var applied = await DatabaseMigrator.MigrateAsync(connectionString, cancellationToken);
                LogSchemaReady(applied.Count, DatabaseMigrator.Migrations.Count == 0 ? 0 : DatabaseMigrator.Migrations[^1].Version);
                // So a first start is usable without Spotify: the demo catalogue fills an empty tracks table.
                if (await demoCatalog.SeedIfEmptyAsync(cancellationToken) is { } report)
                {
                    LogSeeded(report.Inserted);
                }

                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && TimeProvider.System.GetElapsedTime(started) < WaitForDatabase)
            {
                LogWaiting(e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema ready: {Applied} migration(s) applied now, at version {Version}")]
    private partial void LogSchemaReady(int applied, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo catalogue imported: {Tracks} tracks")]
    private partial void LogSeeded(int tracks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for PostgreSQL: {Reason}")]
    private partial void LogWaiting(string reason);
}
