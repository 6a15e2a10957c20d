using System.Data.Common;
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
    /// Seconds to wait for a new connection unless the connection string says otherwise: less than a grain call's
    /// 5 s, so a database host that stops answering silently fails the call with a database error the caller handles,
    /// instead of the call timing out while Npgsql still waits out its own 15 s.
    /// </summary>
    public const int DefaultConnectTimeoutSeconds = 3;

    /// <summary>
    /// <paramref name="connectionString"/> with the silo's pool limit and connect timeout, unless it sets its own.
    /// Applied where pools are made (Orleans' providers, the data source, the health check), not to the configured
    /// value itself.
    /// </summary>
    public static string WithSiloDefaults(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        try
        {
            var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
                .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!given.Overlaps(["MaximumPoolSize", "MaxPoolSize"]))
            {
                builder.MaxPoolSize = DefaultMaxPoolSize;
            }

            if (!given.Overlaps(["Timeout", "ConnectTimeout", "ConnectionTimeout"]))
            {
                builder.Timeout = DefaultConnectTimeoutSeconds;
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
