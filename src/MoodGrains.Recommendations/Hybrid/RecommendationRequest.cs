using MoodGrains.Mood;
using MoodGrains.Recommendations.Serving;

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

    /// <summary>Only tracks someone in the room can hear; null: every track (a room that plays the catalogue on a timeline).</summary>
    public PlayableSources? Playable { get; init; }
}

/// <summary>
/// Where a room's members can hear music, as a candidate filter: the server's own library (<paramref name="LibraryTrackIds"/>,
/// audio it streams to every page), and Spotify while <paramref name="SpotifyFollowed"/> (a member follows the room on
/// their Spotify, so a track with a Spotify id reaches at least them).
/// </summary>
public sealed record PlayableSources(IReadOnlySet<long> LibraryTrackIds, bool SpotifyFollowed)
{
    public bool Allows(CatalogTrack track) => LibraryTrackIds.Contains(track.TrackId) || (SpotifyFollowed && track.OnSpotify);
}

/// <summary>The real contributions behind a recommendation, averaged over the members (weighted).</summary>
public sealed record RecommendationTerms(float Collaborative, float MoodFit, float Popularity, int MembersWhoPlayArtist, int MembersPredictedToLike);

public sealed record Recommendation(long TrackId, string Artist, float Score, string Reason, RecommendationTerms Terms);
