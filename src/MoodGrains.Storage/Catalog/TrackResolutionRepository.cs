using Npgsql;

namespace MoodGrains.Storage.Catalog;

/// <summary>A cached answer to "which provider track is this catalogue track?"; ProviderTrackId null = searched, not found.</summary>
public sealed record TrackResolution(long TrackId, string Provider, string? ProviderTrackId, string? ProviderUri, DateTimeOffset ResolvedAt);

/// <summary>The <c>track_resolutions</c> cache, so a provider is searched once per track rather than once per room.</summary>
public sealed class TrackResolutionRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource;

    public async Task<TrackResolution?> GetAsync(long trackId, string provider, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT provider_track_id, provider_uri, resolved_at FROM track_resolutions WHERE track_id = $1 AND provider = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = trackId });
        command.Parameters.Add(new NpgsqlParameter { Value = provider });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new TrackResolution(trackId, provider,
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.GetFieldValue<DateTimeOffset>(2));
    }

    public async Task SaveAsync(long trackId, string provider, string? providerTrackId, string? providerUri, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO track_resolutions (track_id, provider, provider_track_id, provider_uri, resolved_at) VALUES ($1, $2, $3, $4, now()) " +
            "ON CONFLICT (track_id, provider) DO UPDATE SET provider_track_id = EXCLUDED.provider_track_id, " +
            "provider_uri = EXCLUDED.provider_uri, resolved_at = EXCLUDED.resolved_at");
        command.Parameters.Add(new NpgsqlParameter { Value = trackId });
        command.Parameters.Add(new NpgsqlParameter { Value = provider });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)providerTrackId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)providerUri ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
