using Npgsql;

namespace MoodGrains.Storage.Users;

/// <summary>What PostgreSQL holds about one guest, and erasing it on request.</summary>
public sealed class GuestDataRepository(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Deletes the guest's plays (with the emotion probabilities stored beside each), their Spotify tokens and their
    /// users row, in one transaction. Returns how many plays were deleted.
    /// </summary>
    public async Task<int> DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var plays = await ExecuteAsync(connection, "DELETE FROM listening_events WHERE user_id = $1", userId, cancellationToken);
        await ExecuteAsync(connection, "DELETE FROM spotify_tokens WHERE user_id = $1", userId, cancellationToken);
        await ExecuteAsync(connection, "DELETE FROM users WHERE user_id = $1", userId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return plays;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, string userId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(userId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
