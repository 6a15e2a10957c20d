using MoodGrains.Mood;

namespace MoodGrains.Recommendations.Hybrid;

/// <summary>A member of the audience: presence (0..1, e.g. share of recent time in the room) and how sure the mood reading is.</summary>
public sealed record Listener(string UserId, float Presence = 1f, float MoodConfidence = 1f)
{
    /// <summary>A member counts fully when present and read confidently; an unreadable face still counts a quarter.</summary>
    public float Weight => Math.Clamp(Presence, 0f, 1f) * (0.25f + (0.75f * Math.Clamp(MoodConfidence, 0f, 1f)));
}

/// <param name="Target">The mood point the next tracks should aim for (from <see cref="Mood.MoodTrajectory"/>).</param>
public sealed record RecommendationRequest(IReadOnlyList<Listener> Listeners, MoodPoint Target, int Count = 10)
{
    /// <summary>The freshness window: tracks that must not be returned.</summary>
    public IReadOnlySet<long> RecentlyPlayed { get; init; } = new HashSet<long>();

    /// <summary>Overrides <see cref="HybridOptions.Aggregation"/> for this request.</summary>
    public GroupAggregation? Aggregation { get; init; }
}

/// <summary>The real contributions behind a recommendation, averaged over the members (weighted).</summary>
public sealed record RecommendationTerms(float Collaborative, float MoodFit, float Popularity, int MembersWhoPlayArtist, int MembersPredictedToLike);

public sealed record Recommendation(long TrackId, string Artist, float Score, string Reason, RecommendationTerms Terms);
