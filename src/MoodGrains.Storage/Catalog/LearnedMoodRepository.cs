using Npgsql;

namespace MoodGrains.Storage.Catalog;

/// <summary>
/// Per-track sums of listeners' moods from <c>listening_events</c>, split into plays that went well
/// (completed, liked) and plays that did not (skipped, disliked). Each play weighs its mood confidence
/// (at least 0.1, so an uncertain face still counts a little); likes and dislikes weigh double.
/// </summary>
public sealed record TrackMoodEvidence(
    long TrackId,
    int PositiveCount, double PositiveWeight, double PositiveValenceSum, double PositiveArousalSum,
    int NegativeCount, double NegativeWeight, double NegativeValenceSum, double NegativeArousalSum);

/// <summary>A learned mood position, in the listeners' circumplex scale (-1..1).</summary>
public sealed record LearnedMood(long TrackId, float Valence, float Arousal, int Positive, int Negative, float Confidence);

public sealed class LearnedMoodRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource;

    public async Task<IReadOnlyList<TrackMoodEvidence>> ReadEvidenceAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            WITH e AS (
                SELECT track_id, valence, arousal,
                       outcome IN ('completed', 'liked') AS good,
                       GREATEST(mood_confidence, 0.1) * CASE WHEN outcome IN ('liked', 'disliked') THEN 2 ELSE 1 END AS w
                FROM listening_events
            )
            SELECT track_id,
                   count(*) FILTER (WHERE good), COALESCE(sum(w) FILTER (WHERE good), 0),
                   COALESCE(sum(w * valence) FILTER (WHERE good), 0), COALESCE(sum(w * arousal) FILTER (WHERE good), 0),
                   count(*) FILTER (WHERE NOT good), COALESCE(sum(w) FILTER (WHERE NOT good), 0),
                   COALESCE(sum(w * valence) FILTER (WHERE NOT good), 0), COALESCE(sum(w * arousal) FILTER (WHERE NOT good), 0)
            FROM e GROUP BY track_id ORDER BY track_id
            """;
        await using var command = _dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var evidence = new List<TrackMoodEvidence>();
        while (await reader.ReadAsync(cancellationToken))
        {
            evidence.Add(new TrackMoodEvidence(reader.GetInt64(0),
                (int)reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4),
                (int)reader.GetInt64(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8)));
        }

        return evidence;
    }

    /// <summary>
    /// Stores learned positions and, where the confidence reaches <paramref name="minConfidenceForFeatures"/>,
    /// copies them into the track's valence/energy as 'learned' — never over an imported or editorial value.
    /// </summary>
    /// <returns>How many tracks had a feature written.</returns>
    public async Task<int> SaveAsync(IReadOnlyList<LearnedMood> moods, float minConfidenceForFeatures, CancellationToken cancellationToken)
    {
        if (moods.Count == 0)
        {
            return 0;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var featureUpdates = new List<NpgsqlBatchCommand>();
        foreach (var mood in moods)
        {
            var save = new NpgsqlBatchCommand(
                "INSERT INTO track_learned_moods (track_id, valence, arousal, positive, negative, confidence, updated_at) " +
                "VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (track_id) DO UPDATE SET valence = EXCLUDED.valence, " +
                "arousal = EXCLUDED.arousal, positive = EXCLUDED.positive, negative = EXCLUDED.negative, " +
                "confidence = EXCLUDED.confidence, updated_at = EXCLUDED.updated_at");
            save.Parameters.Add(new NpgsqlParameter { Value = mood.TrackId });
            save.Parameters.Add(new NpgsqlParameter { Value = mood.Valence });
            save.Parameters.Add(new NpgsqlParameter { Value = mood.Arousal });
            save.Parameters.Add(new NpgsqlParameter { Value = mood.Positive });
            save.Parameters.Add(new NpgsqlParameter { Value = mood.Negative });
            save.Parameters.Add(new NpgsqlParameter { Value = mood.Confidence });
            batch.BatchCommands.Add(save);
            if (mood.Confidence < minConfidenceForFeatures)
            {
                continue;
            }

            // Circumplex -1..1 to Spotify's 0..1 scales: valence to valence, arousal to energy.
            var features = new NpgsqlBatchCommand(
                "UPDATE tracks SET " +
                "valence = CASE WHEN valence_source IS NULL OR valence_source = 'learned' THEN $2 ELSE valence END, " +
                "valence_source = CASE WHEN valence_source IS NULL OR valence_source = 'learned' THEN 'learned' ELSE valence_source END, " +
                "energy = CASE WHEN energy_source IS NULL OR energy_source = 'learned' THEN $3 ELSE energy END, " +
                "energy_source = CASE WHEN energy_source IS NULL OR energy_source = 'learned' THEN 'learned' ELSE energy_source END, " +
                "updated_at = now() " +
                "WHERE track_id = $1 AND (valence_source IS NULL OR valence_source = 'learned' OR energy_source IS NULL OR energy_source = 'learned')");
            features.Parameters.Add(new NpgsqlParameter { Value = mood.TrackId });
            features.Parameters.Add(new NpgsqlParameter { Value = (mood.Valence + 1f) / 2f });
            features.Parameters.Add(new NpgsqlParameter { Value = (mood.Arousal + 1f) / 2f });
            batch.BatchCommands.Add(features);
            featureUpdates.Add(features);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        var written = featureUpdates.Sum(c => c.RecordsAffected);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    public async Task<LearnedMood?> GetAsync(long trackId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT valence, arousal, positive, negative, confidence FROM track_learned_moods WHERE track_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = trackId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LearnedMood(trackId, reader.GetFloat(0), reader.GetFloat(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetFloat(4))
            : null;
    }
}
