using MoodGrains.Mood;

namespace MoodGrains.Storage.Listening;

/// <summary>
/// One row of <c>listening_events</c>. <see cref="EmotionProbabilities"/> holds the 7 FER-2013 probabilities in the
/// table's column order (angry, disgust, fear, happy, sad, surprise, neutral); it is empty once the retention period
/// reduced the row to its mood point (<see cref="Valence"/>, <see cref="Arousal"/>, <see cref="MoodConfidence"/>).
/// <see cref="EventId"/> is 0 until stored.
/// <see cref="Outcome"/> is stored as its lowercase name (see <see cref="TrackOutcomeText"/>).
/// </summary>
public sealed record ListeningEvent(
    long EventId,
    string UserId,
    long TrackId,
    string? RoomCode,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    TrackOutcome Outcome,
    IReadOnlyList<float> EmotionProbabilities,
    float Valence,
    float Arousal,
    float MoodConfidence);

/// <summary>The catalogue columns the recommender trains on; every audio feature may be null.</summary>
/// <param name="OnSpotify">The track has a Spotify id: members who follow a room on Spotify can hear it.</param>
public sealed record TrackFeatureRow(
    long TrackId,
    string Title,
    IReadOnlyList<string> Artists,
    float? Popularity,
    float? Valence,
    float? Energy,
    float? Danceability,
    float? Acousticness,
    float? Tempo,
    bool OnSpotify = false);

/// <summary>The text <c>listening_events.outcome</c> holds for each <see cref="TrackOutcome"/>: its lowercase name.</summary>
public static class TrackOutcomeText
{
    public static string ToText(TrackOutcome outcome) => outcome switch
    {
        TrackOutcome.Completed => "completed",
        TrackOutcome.Skipped => "skipped",
        TrackOutcome.Liked => "liked",
        TrackOutcome.Disliked => "disliked",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown track outcome."),
    };

    public static TrackOutcome Parse(string text) => text switch
    {
        "completed" => TrackOutcome.Completed,
        "skipped" => TrackOutcome.Skipped,
        "liked" => TrackOutcome.Liked,
        "disliked" => TrackOutcome.Disliked,
        _ => throw new FormatException($"listening_events.outcome holds '{text}', which is not a track outcome."),
    };
}
