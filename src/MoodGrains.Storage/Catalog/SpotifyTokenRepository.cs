using Npgsql;

namespace MoodGrains.Storage.Catalog;

/// <summary>
/// The <c>spotify_tokens</c> table. It only ever sees ciphertext: encryption happens in the caller
/// (ASP.NET Core Data Protection), so a database dump alone does not reveal a login.
/// </summary>
public sealed class SpotifyTokenRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource;

    public async Task<string?> GetCiphertextAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT ciphertext FROM spotify_tokens WHERE user_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task SaveCiphertextAsync(string userId, string ciphertext, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO spotify_tokens (user_id, ciphertext, updated_at) VALUES ($1, $2, now()) " +
            "ON CONFLICT (user_id) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, updated_at = EXCLUDED.updated_at");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = ciphertext });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Reads the user's row under a row lock (<c>SELECT ... FOR UPDATE</c>) and stores what <paramref name="update"/>
    /// makes of it, so two servers refreshing the same login at once take turns: the second sees the first one's new
    /// tokens instead of spending the refresh token a second time. <paramref name="update"/> answers with the
    /// ciphertext to keep: the one it was given (nothing is written), a new one, or null to remove the row. If it
    /// throws, nothing changes. Returns the ciphertext stored afterwards; null when there was no row or it was removed.
    /// </summary>
    public async Task<string?> UpdateLockedAsync(string userId, Func<string, CancellationToken, Task<string?>> update, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string? current;
        await using (var select = new NpgsqlCommand("SELECT ciphertext FROM spotify_tokens WHERE user_id = $1 FOR UPDATE", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = userId });
            current = await select.ExecuteScalarAsync(cancellationToken) as string;
        }

        if (current is null)
        {
            return null;
        }

        var next = await update(current, cancellationToken);
        if (ReferenceEquals(next, current) || string.Equals(next, current, StringComparison.Ordinal))
        {
            await transaction.CommitAsync(cancellationToken);
            return current;
        }

        await using (var write = next is null
            ? new NpgsqlCommand("DELETE FROM spotify_tokens WHERE user_id = $1", connection, transaction)
            : new NpgsqlCommand("UPDATE spotify_tokens SET ciphertext = $2, updated_at = now() WHERE user_id = $1", connection, transaction))
        {
            write.Parameters.Add(new NpgsqlParameter { Value = userId });
            if (next is not null)
            {
                write.Parameters.Add(new NpgsqlParameter { Value = next });
            }

            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return next;
    }

    public async Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM spotify_tokens WHERE user_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
