using Npgsql;
using NpgsqlTypes;

namespace MoodGrains.Storage.Catalog;

/// <summary>One audio file of the library as stored in <c>library_files</c>.</summary>
public sealed record LibraryFileRow(long TrackId, string RelativePath, string Fingerprint, long SizeBytes, DateTimeOffset ModifiedAt, string Format);

/// <summary>A scanned file and the track it carries; the features are the analyser's, stored as <see cref="FeatureSource.Analysed"/>.</summary>
public sealed record LibraryTrackInput(
    string RelativePath,
    string Fingerprint,
    long SizeBytes,
    DateTimeOffset ModifiedAt,
    string Format,
    string Title,
    IReadOnlyList<string> Artists,
    int DurationMs,
    CatalogFeatures Features,
    string? Album = null,
    IReadOnlyList<string>? Tags = null);

public enum LibraryUpsertOutcome
{
    /// <summary>A new file: a new catalogue track, or audio for a catalogue track with the same title and first artist.</summary>
    Inserted,

    /// <summary>A known file (same fingerprint, perhaps moved), or new content at a known path.</summary>
    Updated,

    /// <summary>Not stored: the catalogue track it matches by title and first artist already has another file.</summary>
    Duplicate,
}

/// <param name="TrackId">The track written, or for a duplicate the track that already has a file.</param>
public sealed record LibraryUpsertResult(LibraryUpsertOutcome Outcome, long TrackId);

/// <summary>
/// The <c>library_files</c> table: which catalogue tracks have a file the server may stream. Files are matched by
/// fingerprint first (a moved file updates its path), then by path (an edited file updates its fingerprint), so a
/// re-scan never duplicates a track.
/// </summary>
public sealed class LibraryRepository(NpgsqlDataSource dataSource, TrackRepository tracks)
{
    private const string FeatureRank = "array_position(ARRAY['learned','editorial','analysed','imported']::text[], {0})";

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly TrackRepository _tracks = tracks;

    public async Task<IReadOnlyList<LibraryFileRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT track_id, relative_path, fingerprint, size_bytes, modified_at, format FROM library_files ORDER BY relative_path");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<LibraryFileRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LibraryFileRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5)));
        }

        return rows;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM library_files");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The file of a track, or null when the track has no audio here.</summary>
    public async Task<LibraryFileRow?> FindByTrackAsync(long trackId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT track_id, relative_path, fingerprint, size_bytes, modified_at, format FROM library_files WHERE track_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = trackId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LibraryFileRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5))
            : null;
    }

    /// <summary>The library-relative path of a track's file, or null.</summary>
    public async Task<string?> GetRelativePathAsync(long trackId, CancellationToken cancellationToken) =>
        (await FindByTrackAsync(trackId, cancellationToken))?.RelativePath;

    public async Task<LibraryUpsertResult> UpsertAsync(LibraryTrackInput file, CancellationToken cancellationToken)
    {
        if (file.Artists.Count == 0)
        {
            throw new ArgumentException($"File '{file.RelativePath}' has no artist.", nameof(file));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var known = await ScalarAsync(connection,
                "SELECT track_id FROM library_files WHERE fingerprint = $1 UNION ALL SELECT track_id FROM library_files WHERE relative_path = $2 LIMIT 1",
                cancellationToken, file.Fingerprint, file.RelativePath);
            if (known is long trackId)
            {
                // Another row may hold the target path or fingerprint (a file replaced by a moved one): it loses its file.
                await ExecuteAsync(connection,
                    "DELETE FROM library_files WHERE track_id <> $1 AND (relative_path = $2 OR fingerprint = $3)",
                    cancellationToken, trackId, file.RelativePath, file.Fingerprint);
                await SaveFileAsync(connection, trackId, file, cancellationToken);
                await UpdateTrackAsync(connection, trackId, file, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new LibraryUpsertResult(LibraryUpsertOutcome.Updated, trackId);
            }
        }

        // A new file: merge into the catalogue like any import (same title and first artist = same track).
        var result = (await _tracks.UpsertAsync(
            [new CatalogTrackInput(null, file.Title, file.Artists, file.DurationMs, file.Features, FeatureSource.Analysed, file.Album, Tags: file.Tags)],
            cancellationToken))[0];
        if (result.Outcome == UpsertOutcome.Conflict)
        {
            return new LibraryUpsertResult(LibraryUpsertOutcome.Duplicate, result.TrackId);
        }

        var inserted = await ScalarAsync(connection,
            "INSERT INTO library_files (track_id, relative_path, fingerprint, size_bytes, modified_at, format) VALUES ($1, $2, $3, $4, $5, $6) " +
            "ON CONFLICT DO NOTHING RETURNING track_id",
            cancellationToken, result.TrackId, file.RelativePath, file.Fingerprint, file.SizeBytes, file.ModifiedAt, file.Format);
        return inserted is long
            ? new LibraryUpsertResult(LibraryUpsertOutcome.Inserted, result.TrackId)
            : new LibraryUpsertResult(LibraryUpsertOutcome.Duplicate, result.TrackId);
    }

    /// <summary>Forgets files the last scan did not find, so their tracks stop offering audio; returns how many.</summary>
    public async Task<int> RemoveMissingAsync(IReadOnlyCollection<string> presentPaths, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM library_files WHERE NOT (relative_path = ANY($1))");
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = presentPaths.ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task SaveFileAsync(NpgsqlConnection connection, long trackId, LibraryTrackInput file, CancellationToken cancellationToken) =>
        ExecuteAsync(connection,
            "UPDATE library_files SET relative_path = $2, fingerprint = $3, size_bytes = $4, modified_at = $5, format = $6, scanned_at = now() " +
            "WHERE track_id = $1",
            cancellationToken, trackId, file.RelativePath, file.Fingerprint, file.SizeBytes, file.ModifiedAt, file.Format);

    private static Task UpdateTrackAsync(NpgsqlConnection connection, long trackId, LibraryTrackInput file, CancellationToken cancellationToken)
    {
        // Tags may have changed the title or artist; a name another track already holds is left as it was.
        var set = new List<string>
        {
            "title = CASE WHEN taken THEN title ELSE $2 END",
            "artists = CASE WHEN taken THEN artists ELSE $3 END",
            "album = COALESCE($4, album)",
            "duration_ms = $5",
        };
        string[] columns = ["valence", "energy", "danceability", "acousticness", "tempo"];
        for (var i = 0; i < columns.Length; i++)
        {
            var column = columns[i];
            var wins = $"${6 + i}::real IS NOT NULL AND ({column}_source IS NULL OR {string.Format(System.Globalization.CultureInfo.InvariantCulture, FeatureRank, column + "_source")} <= 3)";
            set.Add($"{column} = CASE WHEN {wins} THEN ${6 + i} ELSE {column} END");
            set.Add($"{column}_source = CASE WHEN {wins} THEN 'analysed' ELSE {column}_source END");
        }

        var sql = $"""
            UPDATE tracks SET {string.Join(", ", set)}, updated_at = now()
            FROM (SELECT EXISTS (SELECT 1 FROM tracks o WHERE o.track_id <> $1 AND lower(o.title) = lower($2) AND lower(o.artists[1]) = lower(($3::text[])[1])) AS taken) t
            WHERE track_id = $1
            """;
        var f = file.Features;
        return ExecuteAsync(connection, sql, cancellationToken,
            trackId, file.Title, file.Artists.ToArray(), new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)file.Album ?? DBNull.Value }, file.DurationMs,
            Real(f.Valence), Real(f.Energy), Real(f.Danceability), Real(f.Acousticness), Real(f.Tempo));
    }

    private static NpgsqlParameter Real(float? value) => new() { NpgsqlDbType = NpgsqlDbType.Real, Value = (object?)value ?? DBNull.Value };

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(connection, sql, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
