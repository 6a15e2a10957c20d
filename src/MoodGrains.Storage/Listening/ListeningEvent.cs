namespace MoodGrains.Storage.Listening;

/// <summary>
/// One row of <c>listening_events</c>. <see cref="EmotionProbabilities"/> holds the 7 FER-2013 probabilities in the
/// table's column order (angry, disgust, fear, happy, sad, surprise, neutral). <see cref="EventId"/> is 0 until stored.
/// </summary>
public sealed record ListeningEvent(
    long EventId,
    string UserId,
    long TrackId,
    string? RoomCode,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Outcome,
    IReadOnlyList<float> EmotionProbabilities,
    float Valence,
    float Arousal,
    float MoodConfidence);

/// <summary>The catalogue columns the recommender trains on; every audio feature may be null.</summary>
public sealed record TrackFeatureRow(
    long TrackId,
    string Title,
    IReadOnlyList<string> Artists,
    float? Popularity,
    float? Valence,
    float? Energy,
    float? Danceability,
    float? Acousticness,
    float? Tempo);
