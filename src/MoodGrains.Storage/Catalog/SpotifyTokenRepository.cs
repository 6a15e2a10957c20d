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

    public async Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM spotify_tokens WHERE user_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
