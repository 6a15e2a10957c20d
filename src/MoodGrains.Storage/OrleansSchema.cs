using Npgsql;

namespace MoodGrains.Storage;

/// <summary>
/// Installs the tables, functions and query texts that Orleans' ADO.NET clustering, persistence and reminder
/// providers read from PostgreSQL. The 10.4.x packages ship no PostgreSQL scripts, so ours are embedded in this
/// assembly (<c>Orleans/*.sql</c>) and applied on every start, before the silo opens its first connection.
/// </summary>
public static class OrleansSchema
{
    // Any fixed 64-bit number works; it only has to differ from other advisory locks taken in the same database.
    private const long AdvisoryLockKey = 0x4D47_4F52_4C45_414E; // "MGORLEAN"

    private const string ResourceFolder = ".Orleans.";

    /// <summary>
    /// Applies every embedded Orleans script in file-name order inside one transaction. The scripts are idempotent
    /// and a transaction-scoped advisory lock serialises silos that start together, because concurrent
    /// <c>CREATE TABLE IF NOT EXISTS</c> / <c>CREATE OR REPLACE FUNCTION</c> statements can still fail on
    /// PostgreSQL's catalog constraints.
    /// </summary>
    public static async Task ApplyAsync(string connectionString, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        var scripts = await ReadScriptsAsync(ct).ConfigureAwait(false);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        foreach (var (name, sql) in scripts)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            try
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException($"Orleans schema script '{name}' failed: {ex.MessageText}", ex);
            }
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The embedded script names, in the order <see cref="ApplyAsync"/> runs them.</summary>
    public static IReadOnlyList<string> ScriptNames =>
        [.. ScriptResources().Select(r => r[(r.LastIndexOf(ResourceFolder, StringComparison.Ordinal) + ResourceFolder.Length)..])];

    private static IEnumerable<string> ScriptResources() =>
        typeof(OrleansSchema).Assembly.GetManifestResourceNames()
            .Where(r => r.Contains(ResourceFolder, StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static async Task<List<(string Name, string Sql)>> ReadScriptsAsync(CancellationToken ct)
    {
        var assembly = typeof(OrleansSchema).Assembly;
        var scripts = new List<(string, string)>();
        foreach (var resource in ScriptResources())
        {
            await using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded resource '{resource}' could not be opened.");
            using var reader = new StreamReader(stream);
            scripts.Add((resource, await reader.ReadToEndAsync(ct).ConfigureAwait(false)));
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException(
                $"No Orleans schema scripts are embedded in {assembly.GetName().Name}; check the Orleans\\*.sql EmbeddedResource item.");
        }

        return scripts;
    }
}
