using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace MoodGrains.Storage.Catalog;

/// <summary>
/// The <c>tracks</c> table. Upserts match on the Spotify id first and on title + first artist second,
/// so re-importing a file, or importing a CSV over the demo catalogue, updates rows instead of duplicating them.
/// </summary>
public sealed class TrackRepository(NpgsqlDataSource dataSource)
{
    private static readonly string[] FeatureColumns = ["valence", "energy", "danceability", "acousticness", "tempo"];

    // One statement per track, sent in batches. Data-modifying CTEs see one snapshot, so the later
    // branches learn about the earlier ones only through their RETURNING rows.
    private static readonly string UpsertSql = BuildUpsertSql();

    private const string SelectColumns =
        "track_id, spotify_id, title, artists, album, duration_ms, popularity, genres, tags, valence, energy, danceability, acousticness, tempo, " +
        "valence_source, energy_source, danceability_source, acousticness_source, tempo_source, tags_source, " +
        "EXISTS (SELECT 1 FROM library_files l WHERE l.track_id = tracks.track_id)";

    // "MGCATLOG" as a number; distinct from the migrator's lock.
    private const long CatalogLockKey = 0x4D474341544C4F47;

    private readonly NpgsqlDataSource _dataSource = dataSource;

    public async Task<IReadOnlyList<UpsertResult>> UpsertAsync(IReadOnlyList<CatalogTrackInput> tracks, CancellationToken cancellationToken)
    {
        if (tracks.Count == 0)
        {
            return [];
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var track in tracks)
        {
            batch.BatchCommands.Add(CreateUpsert(track));
        }

        // Every command shares one SQL text: preparing parses and plans it once per connection instead of once per row (3x faster).
        await batch.PrepareAsync(cancellationToken);

        var results = new List<UpsertResult>(tracks.Count);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    throw new InvalidOperationException("The upsert returned no row.");
                }

                results.Add(
                    !reader.IsDBNull(0) ? new UpsertResult(UpsertOutcome.Updated, reader.GetInt64(0))
                    : !reader.IsDBNull(1) ? new UpsertResult(UpsertOutcome.Updated, reader.GetInt64(1))
                    : !reader.IsDBNull(2) ? new UpsertResult(UpsertOutcome.Inserted, reader.GetInt64(2))
                    : new UpsertResult(UpsertOutcome.Conflict, reader.IsDBNull(3) ? 0 : reader.GetInt64(3)));
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>
    /// Holds a PostgreSQL advisory lock until disposed, so that silos starting together don't seed the
    /// catalogue twice at the same time (the second would only report every row as a conflict).
    /// </summary>
    public async Task<IAsyncDisposable> LockCatalogAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({CatalogLockKey})", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new CatalogLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM tracks");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<CatalogTrackRow?> GetAsync(long trackId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {SelectColumns} FROM tracks WHERE track_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = trackId });
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<CatalogTrackRow?> FindBySpotifyIdAsync(string spotifyId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {SelectColumns} FROM tracks WHERE spotify_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = spotifyId });
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<CatalogTrackRow?> FindByTitleAndArtistAsync(string title, string firstArtist, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT {SelectColumns} FROM tracks WHERE lower(title) = lower($1) AND lower(artists[1]) = lower($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = title });
        command.Parameters.Add(new NpgsqlParameter { Value = firstArtist });
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>
    /// Tracks whose title or artists contain the text (case-insensitive), most popular first. The match is a LIKE on
    /// <c>track_search_text</c>, which the trigram index of migration 5 answers without reading every track.
    /// </summary>
    public async Task<IReadOnlyList<CatalogTrackRow>> SearchAsync(string text, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT {SelectColumns} FROM tracks " +
            "WHERE track_search_text(title, artists) LIKE lower($1) " +
            "ORDER BY popularity DESC NULLS LAST, track_id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = ContainsPattern(text) });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Keyset page over the whole catalogue, for recommenders that load it into memory.</summary>
    public async Task<IReadOnlyList<CatalogTrackRow>> ListAsync(long afterTrackId, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {SelectColumns} FROM tracks WHERE track_id > $1 ORDER BY track_id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = afterTrackId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Records a provider id found by resolution; false when another track already holds it.</summary>
    public async Task<bool> TrySetSpotifyIdAsync(long trackId, string spotifyId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE tracks SET spotify_id = $2, updated_at = now() WHERE track_id = $1 AND spotify_id IS NULL " +
            "AND NOT EXISTS (SELECT 1 FROM tracks WHERE spotify_id = $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = trackId });
        command.Parameters.Add(new NpgsqlParameter { Value = spotifyId });
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    /// <summary>A LIKE pattern for "contains <paramref name="text"/>", with the text's own wildcards taken literally.</summary>
    public static string ContainsPattern(string text)
    {
        var escaped = new StringBuilder(text.Length + 2).Append('%');
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.Append('%').ToString();
    }

    internal static string ToText(FeatureSource source) => source switch
    {
        FeatureSource.Imported => "imported",
        FeatureSource.Learned => "learned",
        FeatureSource.Editorial => "editorial",
        FeatureSource.Analysed => "analysed",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    private static FeatureSource? FromText(string? text) => text switch
    {
        null => null,
        "imported" => FeatureSource.Imported,
        "learned" => FeatureSource.Learned,
        "editorial" => FeatureSource.Editorial,
        "analysed" => FeatureSource.Analysed,
        _ => throw new InvalidOperationException($"Unknown feature source '{text}'."),
    };

    private static async Task<IReadOnlyList<CatalogTrackRow>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var tracks = new List<CatalogTrackRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            float? Real(int i) => reader.IsDBNull(i) ? null : reader.GetFloat(i);
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            tracks.Add(new CatalogTrackRow(
                reader.GetInt64(0),
                Text(1),
                reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                Text(4),
                reader.GetInt32(5),
                Real(6),
                reader.GetFieldValue<string[]>(7),
                reader.GetFieldValue<string[]>(8),
                new CatalogFeatures(Real(9), Real(10), Real(11), Real(12), Real(13)),
                new FeatureSources(FromText(Text(14)), FromText(Text(15)), FromText(Text(16)), FromText(Text(17)), FromText(Text(18)), FromText(Text(19))),
                reader.GetBoolean(20)));
        }

        return tracks;
    }

    private static NpgsqlBatchCommand CreateUpsert(CatalogTrackInput track)
    {
        if (track.Artists.Count == 0)
        {
            throw new ArgumentException($"Track '{track.Title}' has no artist.", nameof(track));
        }

        var command = new NpgsqlBatchCommand(UpsertSql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)track.SpotifyId ?? DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)track.Isrc ?? DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = track.Title });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = track.Artists.ToArray() });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)track.Album ?? DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = track.DurationMs });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Real, Value = (object?)track.Popularity ?? DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = (track.Genres ?? []).ToArray() });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = (track.Tags ?? []).ToArray() });
        var f = track.Features;
        foreach (var value in new[] { f.Valence, f.Energy, f.Danceability, f.Acousticness, f.Tempo })
        {
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Real, Value = (object?)value ?? DBNull.Value });
        }

        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = ToText(track.Source) });
        return command;
    }

    private static string BuildUpsertSql()
    {
        // $1 spotify_id, $2 isrc, $3 title, $4 artists, $5 album, $6 duration_ms, $7 popularity, $8 genres, $9 tags,
        // $10..$14 valence, energy, danceability, acousticness, tempo, $15 source.
        // A feature is overwritten only by a value from an equal or stronger source (imported > analysed > editorial > learned),
        // so importing the demo catalogue over real data never replaces measurements with estimates.
        const string rank = "array_position(ARRAY['learned','editorial','analysed','imported']::text[], {0})";
        var set = new StringBuilder();
        set.Append("album = COALESCE($5, album), duration_ms = $6, popularity = COALESCE($7, popularity), isrc = COALESCE(isrc, $2), ");
        set.Append("genres = ARRAY(SELECT DISTINCT g FROM unnest(genres || $8) g ORDER BY g), ");
        set.Append("tags = ARRAY(SELECT DISTINCT t FROM unnest(tags || $9) t ORDER BY t), ");
        set.Append("tags_source = CASE WHEN cardinality($9) > 0 AND (tags_source IS NULL OR ")
            .Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, rank, "tags_source")).Append(" <= ")
            .Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, rank, "$15")).Append(") THEN $15 ELSE tags_source END, ");
        for (var i = 0; i < FeatureColumns.Length; i++)
        {
            var column = FeatureColumns[i];
            var parameter = "$" + (10 + i);
            var wins = $"{parameter} IS NOT NULL AND ({column}_source IS NULL OR {string.Format(System.Globalization.CultureInfo.InvariantCulture, rank, column + "_source")} <= {string.Format(System.Globalization.CultureInfo.InvariantCulture, rank, "$15")})";
            set.Append($"{column} = CASE WHEN {wins} THEN {parameter} ELSE {column} END, ");
            set.Append($"{column}_source = CASE WHEN {wins} THEN $15 ELSE {column}_source END, ");
        }

        set.Append("updated_at = now()");
        var insertSources = string.Join(", ", FeatureColumns.Select((_, i) => $"CASE WHEN ${10 + i} IS NULL THEN NULL ELSE $15 END"));
        return $"""
            WITH by_id AS (
                UPDATE tracks SET {set}
                WHERE $1::text IS NOT NULL AND spotify_id = $1
                RETURNING track_id
            ), by_name AS (
                UPDATE tracks SET {set}, spotify_id = COALESCE(spotify_id, $1)
                WHERE NOT EXISTS (SELECT 1 FROM by_id)
                  AND lower(title) = lower($3) AND lower(artists[1]) = lower(($4::text[])[1])
                  AND (spotify_id IS NULL OR $1::text IS NULL OR spotify_id = $1)
                RETURNING track_id
            ), inserted AS (
                INSERT INTO tracks (spotify_id, isrc, title, artists, album, duration_ms, popularity, genres, tags,
                    valence, energy, danceability, acousticness, tempo,
                    valence_source, energy_source, danceability_source, acousticness_source, tempo_source, tags_source)
                SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, {insertSources},
                    CASE WHEN cardinality($9) > 0 THEN $15 END
                WHERE NOT EXISTS (SELECT 1 FROM by_id) AND NOT EXISTS (SELECT 1 FROM by_name)
                ON CONFLICT DO NOTHING
                RETURNING track_id
            )
            SELECT (SELECT track_id FROM by_id), (SELECT track_id FROM by_name), (SELECT track_id FROM inserted),
                (SELECT track_id FROM tracks WHERE lower(title) = lower($3) AND lower(artists[1]) = lower(($4::text[])[1]) LIMIT 1)
            """;
    }

    private sealed class CatalogLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({CatalogLockKey})", connection);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing the session releases the lock even if the unlock failed.
                await connection.DisposeAsync();
            }
        }
    }
}
