namespace MoodGrains.Recommendations.Hybrid;

/// <summary>How members' predicted scores become one room score.</summary>
public enum GroupAggregation
{
    /// <summary>Weighted mean: the most total enjoyment, but a quiet member can be ignored every time.</summary>
    Average,

    /// <summary>Each track scores its least happy member's score: nobody hates anything, but the list turns bland.</summary>
    LeastMisery,

    /// <summary>
    /// Greedy proportional fairness: each slot goes to the track with the best weighted sum of member scores, where a
    /// member's weight shrinks by how well the slots so far already served them.
    /// </summary>
    Fair,
}

public sealed record HybridOptions
{
    /// <summary>Weight of the collaborative term (predicted preference, about 0..1).</summary>
    public float CollaborativeWeight { get; init; } = 1f;

    /// <summary>Weight of the mood fit (a 0..1 Gaussian of the distance between track and target in mood space).</summary>
    public float MoodWeight { get; init; } = 0.6f;

    /// <summary>Weight of the 0..1 popularity prior; it is what cold-start listeners mostly get.</summary>
    public float PopularityWeight { get; init; } = 0.15f;

    /// <summary>How much the mood region shifts the user vector (x_u + w * c_mood); 0 is mood-blind CF.</summary>
    public float MoodContextWeight { get; init; } = 0.5f;

    /// <summary>Mood-space distance at which the fit falls to exp(-1/2) ~ 0.61.</summary>
    public float MoodBandwidth { get; init; } = 0.35f;

    /// <summary>Fit given to tracks with no known mood: neither favoured nor buried.</summary>
    public float UnknownMoodFit { get; init; } = 0.3f;

    /// <summary>At most this many tracks by one artist in one list.</summary>
    public int MaxPerArtist { get; init; } = 1;

    /// <summary>Tracks short-listed by the fast group score before exact per-member scoring.</summary>
    public int CandidatePool { get; init; } = 300;

    public GroupAggregation Aggregation { get; init; } = GroupAggregation.Fair;

    public void Validate()
    {
        if (CollaborativeWeight < 0 || MoodWeight < 0 || PopularityWeight < 0 || MoodContextWeight < 0)
        {
            throw new ArgumentException("Hybrid weights must be non-negative.");
        }

        if (!(MoodBandwidth > 0) || MaxPerArtist < 1 || CandidatePool < 1 || UnknownMoodFit is < 0 or > 1)
        {
            throw new ArgumentException("MoodBandwidth must be > 0, MaxPerArtist and CandidatePool >= 1, UnknownMoodFit in [0, 1].");
        }
    }
}
