using System.Reflection;
using Npgsql;

namespace MoodGrains.Storage;

/// <summary>One application migration: its version (the number its file name starts with) and SQL.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>What <see cref="DatabaseMigrator.StatusAsync"/> reports for each known migration.</summary>
public sealed record MigrationStatus(int Version, string Name, DateTimeOffset? AppliedAt);

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order, each once, recording them in
/// <c>schema_version</c>. Silos starting together serialise on an advisory lock, so it is safe to run from every host.
/// </summary>
public static class DatabaseMigrator
{
    // An arbitrary constant shared by every MoodGrains process: "MOODGRAI" as a number.
    private const long LockKey = 0x4D4F4F4447524149;

    public static IReadOnlyList<Migration> Migrations { get; } = LoadMigrations();

    /// <summary>Applies pending migrations and returns the ones this call applied.</summary>
    public static async Task<IReadOnlyList<Migration>> MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     integer PRIMARY KEY,
                name        text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        var applied = await AppliedVersionsAsync(connection, cancellationToken);
        var pending = Migrations.Where(m => !applied.ContainsKey(m.Version)).ToList();
        foreach (var migration in pending)
        {
            await ExecuteAsync(connection, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, name) VALUES ($1, $2)", connection);
            record.Parameters.AddWithValue(migration.Version);
            record.Parameters.AddWithValue(migration.Name);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return pending;
    }

    public static async Task<IReadOnlyList<MigrationStatus>> StatusAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection);
        var applied = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!
            ? await AppliedVersionsAsync(connection, cancellationToken)
            : [];
        return Migrations
            .Select(m => new MigrationStatus(m.Version, m.Name, applied.TryGetValue(m.Version, out var at) ? at : null))
            .ToList();
    }

    private static async Task<Dictionary<int, DateTimeOffset>> AppliedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, DateTimeOffset>();
        await using var command = new NpgsqlCommand("SELECT version, applied_at FROM schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadMigrations()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        const string prefix = "MoodGrains.Storage.Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..^".sql".Length];
            // Embedded names of files starting with a digit get a leading underscore from MSBuild.
            var digits = fileName.TrimStart('_');
            var underscore = digits.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(digits[..underscore], out var version))
            {
                throw new InvalidOperationException($"Migration '{resource}' must be named NNNN_description.sql.");
            }

            migrations.Add(new Migration(version, digits[(underscore + 1)..], ReadResource(assembly, resource)));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");
        }

        return migrations.OrderBy(m => m.Version).ToList();
    }

    internal static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
