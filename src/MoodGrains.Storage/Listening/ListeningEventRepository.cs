using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace MoodGrains.Storage.Listening;

/// <summary>
/// Appends plays with binary COPY (one round trip per batch, however many rows) and streams them back in
/// event_id order, in keyset-paged batches so a retrain never holds a long transaction or the whole table in one result.
/// A play in a room is stored once however often it is appended (the key is room, track, start and listener), and
/// after the retention period its emotion probabilities are reduced to the mood point.
/// </summary>
public sealed class ListeningEventRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "user_id, track_id, room_code, started_at, ended_at, outcome, p_angry, p_disgust, p_fear, p_happy, p_sad, p_surprise, p_neutral, valence, arousal, mood_confidence";

    public async Task<ulong> AppendAsync(IReadOnlyList<ListeningEvent> events, CancellationToken cancellationToken = default)
    {
        foreach (var e in events)
        {
            if (e.EmotionProbabilities.Count != 7)
            {
                throw new ArgumentException($"Event for user {e.UserId} has {e.EmotionProbabilities.Count} emotion probabilities; 7 are required.", nameof(events));
            }
        }

        // COPY cannot skip rows that are already there, so the batch lands in a scratch table and moves on from there.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction,
            $"CREATE TEMP TABLE incoming_listening_events ON COMMIT DROP AS SELECT {Columns} FROM listening_events WITH NO DATA; " +
            "ALTER TABLE incoming_listening_events ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY", cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY incoming_listening_events ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var e in events)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(e.UserId, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(e.TrackId, NpgsqlDbType.Bigint, cancellationToken);
                if (e.RoomCode is null)
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(e.RoomCode, NpgsqlDbType.Text, cancellationToken);
                }

                await writer.WriteAsync(e.StartedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                if (e.EndedAt is { } ended)
                {
                    await writer.WriteAsync(ended.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                }

                await writer.WriteAsync(TrackOutcomeText.ToText(e.Outcome), NpgsqlDbType.Text, cancellationToken);
                foreach (var p in e.EmotionProbabilities)
                {
                    await writer.WriteAsync(p, NpgsqlDbType.Real, cancellationToken);
                }

                await writer.WriteAsync(e.Valence, NpgsqlDbType.Real, cancellationToken);
                await writer.WriteAsync(e.Arousal, NpgsqlDbType.Real, cancellationToken);
                await writer.WriteAsync(e.MoodConfidence, NpgsqlDbType.Real, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        var inserted = await ExecuteAsync(connection, transaction,
            $"INSERT INTO listening_events ({Columns}) SELECT {Columns} FROM incoming_listening_events ORDER BY n ON CONFLICT DO NOTHING", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ulong)inserted;
    }

    /// <summary>
    /// Reduces plays that started before <paramref name="olderThan"/> to their mood point: the seven emotion
    /// probabilities become null; valence, arousal and confidence stay for the recommender. Works in batches of
    /// <paramref name="batchSize"/> rows so no single statement holds many row locks; returns how many rows it reduced.
    /// </summary>
    public async Task<long> ReduceToMoodPointAsync(DateTimeOffset olderThan, int batchSize = 10_000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var total = 0L;
        while (true)
        {
            await using var command = dataSource.CreateCommand(
                "UPDATE listening_events SET p_angry = NULL, p_disgust = NULL, p_fear = NULL, p_happy = NULL, p_sad = NULL, p_surprise = NULL, p_neutral = NULL " +
                "WHERE event_id IN (SELECT event_id FROM listening_events WHERE started_at < $1 AND p_neutral IS NOT NULL LIMIT $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = olderThan.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = batchSize, NpgsqlDbType = NpgsqlDbType.Integer });
            var reduced = await command.ExecuteNonQueryAsync(cancellationToken);
            total += reduced;
            if (reduced < batchSize)
            {
                return total;
            }
        }
    }

    /// <summary>All events with <c>started_at &gt;= since</c> (or all), oldest id first, fetched <paramref name="batchSize"/> rows at a time.</summary>
    public async IAsyncEnumerable<ListeningEvent> ReadAsync(DateTimeOffset? since = null, int batchSize = 50_000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var after = 0L;
        while (true)
        {
            var read = 0;
            await using var command = dataSource.CreateCommand(
                $"SELECT event_id, {Columns} FROM listening_events WHERE event_id > $1 AND ($2::timestamptz IS NULL OR started_at >= $2) ORDER BY event_id LIMIT $3");
            command.Parameters.Add(new NpgsqlParameter { Value = after, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = since is { } s ? s.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = batchSize, NpgsqlDbType = NpgsqlDbType.Integer });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var probabilities = reader.IsDBNull(7) ? [] : new float[7];
                for (var i = 0; i < probabilities.Length; i++)
                {
                    probabilities[i] = reader.GetFloat(7 + i);
                }

                var e = new ListeningEvent(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                    TrackOutcomeText.Parse(reader.GetString(6)),
                    probabilities,
                    reader.GetFloat(14),
                    reader.GetFloat(15),
                    reader.GetFloat(16));
                after = e.EventId;
                read++;
                yield return e;
            }

            if (read < batchSize)
            {
                yield break;
            }
        }
    }

    /// <summary>The whole catalogue with the features the recommender uses.</summary>
    public async IAsyncEnumerable<TrackFeatureRow> ReadTracksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT track_id, title, artists, popularity, valence, energy, danceability, acousticness, tempo, spotify_id IS NOT NULL FROM tracks ORDER BY track_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new TrackFeatureRow(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetFieldValue<string[]>(2),
                Nullable(reader, 3),
                Nullable(reader, 4),
                Nullable(reader, 5),
                Nullable(reader, 6),
                Nullable(reader, 7),
                Nullable(reader, 8),
                reader.GetBoolean(9));
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static float? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFloat(ordinal);
}
