using MoodGrains.Mood;

namespace MoodGrains.Recommendations.Mood;

/// <summary>Where a session or room wants its music to take the listeners.</summary>
public enum MoodTargetPolicy
{
    /// <summary>Stay with the listeners' current mood.</summary>
    Match,

    /// <summary>Lift the mood toward positive valence (the "happy" position).</summary>
    Boost,

    /// <summary>Wind down toward low arousal (the "calm" position).</summary>
    Calm,
}

public sealed record IsoPrincipleOptions
{
    /// <summary>
    /// How far (Euclidean distance in the -1..1 circumplex) the target may move per track. The iso principle of
    /// music therapy starts with music that matches the listener's state and changes it gradually; 0.15 takes a
    /// sad listener (-0.65, -0.27) to the happy position (0.83, 0.53) in about 11 tracks, roughly 40 minutes.
    /// </summary>
    public float StepPerTrack { get; init; } = 0.15f;

    /// <summary>How much a new mood reading pulls the trajectory back toward the observed mood, scaled by its confidence.</summary>
    public float ObservationPull { get; init; } = 0.5f;

    public void Validate()
    {
        if (!(StepPerTrack > 0 && StepPerTrack <= 2.83f))
        {
            throw new ArgumentException("StepPerTrack must be in (0, 2.83], the diameter of the circumplex square.");
        }

        if (!(ObservationPull >= 0 && ObservationPull <= 1))
        {
            throw new ArgumentException("ObservationPull must be in [0, 1].");
        }
    }
}

/// <summary>
/// The mood point the next track should aim for: starts at the listeners' mood and walks toward the policy's goal,
/// one bounded step per track (iso principle). Not thread-safe; one per session or room.
/// </summary>
public sealed class MoodTrajectory
{
    private readonly IsoPrincipleOptions _options;
    private MoodPoint? _current;

    public MoodTrajectory(MoodTargetPolicy policy, IsoPrincipleOptions? options = null)
    {
        _options = options ?? new IsoPrincipleOptions();
        _options.Validate();
        Policy = policy;
    }

    public MoodTargetPolicy Policy { get; set; }

    /// <summary>The final destination of <paramref name="policy"/> for listeners currently at <paramref name="mood"/>.</summary>
    public static MoodPoint GoalOf(MoodTargetPolicy policy, MoodPoint mood) => policy switch
    {
        MoodTargetPolicy.Match => mood,
        MoodTargetPolicy.Boost => MoodLabels.PositionOf(MoodLabel.Happy),
        MoodTargetPolicy.Calm => MoodLabels.PositionOf(MoodLabel.Calm),
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    /// <summary>
    /// Called once per track with the latest mood reading; returns the target for that track.
    /// The first call matches the observed mood exactly; later calls blend the observation in (by confidence) and
    /// then step toward the goal by at most <see cref="IsoPrincipleOptions.StepPerTrack"/>.
    /// </summary>
    public MoodPoint NextTarget(MoodPoint observed, float confidence)
    {
        if (_current is not { } previous)
        {
            _current = observed;
            return observed;
        }

        var pull = Math.Clamp(confidence, 0f, 1f) * _options.ObservationPull;
        var anchor = Lerp(previous, observed, pull);
        var goal = GoalOf(Policy, observed);
        var next = StepToward(anchor, goal, _options.StepPerTrack);
        _current = next;
        return next;
    }

    /// <summary>
    /// One track's target for a room that asks afresh each time: the walk seeded at <paramref name="previous"/> (the
    /// target of the track playing now; none for a room's first track), then one step for the observed mood. A room
    /// that re-plans several times within a track asks from the same <paramref name="previous"/>, so it never walks
    /// more than one step per track.
    /// </summary>
    public static MoodPoint StepFrom(MoodTargetPolicy policy, MoodPoint? previous, MoodPoint observed, float confidence, IsoPrincipleOptions? options = null)
    {
        var trajectory = new MoodTrajectory(policy, options);
        if (previous is { } seed)
        {
            trajectory.NextTarget(seed, 1f);
        }

        return trajectory.NextTarget(observed, confidence);
    }

    public static MoodPoint StepToward(MoodPoint from, MoodPoint to, float maxStep)
    {
        var distance = from.DistanceTo(to);
        return distance <= maxStep ? to : Lerp(from, to, maxStep / distance);
    }

    private static MoodPoint Lerp(MoodPoint a, MoodPoint b, float t) =>
        new(a.Valence + ((b.Valence - a.Valence) * t), a.Arousal + ((b.Arousal - a.Arousal) * t));
}
