using Npgsql;

namespace MoodGrains.Server.Persistence;

/// <summary>
/// The silo's connection pools to PostgreSQL: one for the Orleans providers (keyed by connection string) and the
/// application's data source. After PostgreSQL restarts every pooled connection is dead and would fail its next
/// command, one caller at a time; clearing the pools once a restart is noticed makes the next calls open fresh ones.
/// </summary>
public sealed class PostgresPools(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// At most this many connections per pool unless the connection string says otherwise: a silo has two pools, so
    /// two or three silos stay well inside PostgreSQL's default of 100 clients even when every grain writes at once
    /// (as at shutdown, which otherwise met "too many clients", 53300).
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    public void Clear()
    {
        NpgsqlConnection.ClearAllPools();
        dataSource.Clear();
    }

    /// <summary>
    /// <paramref name="connectionString"/> with the silo's pool limit, unless it sets its own. Applied where pools are
    /// made (Orleans' providers, the data source, the health check), not to the configured value itself.
    /// </summary>
    public static string WithPoolLimits(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase))
            {
                builder.MaxPoolSize = DefaultMaxPoolSize;
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            // Left as given: opening it reports the problem with Npgsql's own message.
            return connectionString;
        }
    }
}
