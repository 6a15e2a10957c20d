using MoodGrains.Mood;
using MoodGrains.Recommendations.Content;

namespace MoodGrains.Recommendations.Serving;

/// <summary>
/// One play as the recommender learns from it: who, what, how strongly (from the outcome), and the listener's mood
/// at the time with the confidence of that reading.
/// </summary>
public sealed record PlayEvent(string UserId, long TrackId, float Strength, MoodPoint Mood, float MoodConfidence);

/// <summary>A catalogue track as the recommender sees it; features and popularity may be missing.</summary>
/// <param name="OnSpotify">The track has a Spotify id, so a member following on Spotify can hear it.</param>
public sealed record CatalogTrack(long TrackId, string Artist, TrackFeatures Features, float? Popularity = null, bool OnSpotify = false);

/// <summary>How much a play outcome says about preference; a dislike is no positive evidence at all.</summary>
public static class PlayOutcomes
{
    public static float StrengthOf(TrackOutcome outcome) => outcome switch
    {
        TrackOutcome.Liked => 3f,
        TrackOutcome.Completed => 1f,
        TrackOutcome.Skipped => 0.1f,
        TrackOutcome.Disliked => 0f,
        _ => 0f,
    };
}
