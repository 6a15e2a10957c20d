using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Features;

/// <summary>
/// Learns where a track sits on the valence/arousal plane from the listeners who played it.
/// A play that was completed or liked says "this track suited a listener in this mood", so the track's
/// position is the weighted mean of those moods. Skips and dislikes say where it did not suit: when
/// they exist the estimate moves away from their mean, in proportion to their share of the evidence.
/// Confidence is n / (n + k) over the positive weight n, shrunk by the share of negative evidence,
/// so a handful of plays gives a tentative position and dozens a firm one.
/// </summary>
public sealed class LearnedMoodFeatureSource(LearnedMoodRepository repository) : ITrackFeatureSource
{
    /// <summary>Pseudo-count k: the positive weight at which confidence reaches one half.</summary>
    public const double PriorWeight = 5;

    /// <summary>How far (as a fraction of the gap) contrary evidence pushes the position.</summary>
    public const double RepulsionStrength = 0.5;

    /// <summary>Below this confidence the position is kept aside and not written into the catalogue.</summary>
    public const float MinConfidenceForFeatures = 0.3f;

    private readonly LearnedMoodRepository _repository = repository;

    public string Name => "learned";

    public async Task<FeatureSourceRun> UpdateAsync(CancellationToken cancellationToken)
    {
        var evidence = await _repository.ReadEvidenceAsync(cancellationToken);
        var moods = evidence.Select(Estimate).OfType<LearnedMood>().ToArray();
        var written = await _repository.SaveAsync(moods, MinConfidenceForFeatures, cancellationToken);
        return new FeatureSourceRun(Name, evidence.Count, written);
    }

    /// <summary>The learned position, or null when no play went well (negative evidence alone locates nothing).</summary>
    public static LearnedMood? Estimate(TrackMoodEvidence e)
    {
        if (e.PositiveWeight <= 0)
        {
            return null;
        }

        var valence = e.PositiveValenceSum / e.PositiveWeight;
        var arousal = e.PositiveArousalSum / e.PositiveWeight;
        var negativeShare = e.NegativeWeight / (e.PositiveWeight + e.NegativeWeight);
        if (e.NegativeWeight > 0)
        {
            var negativeValence = e.NegativeValenceSum / e.NegativeWeight;
            var negativeArousal = e.NegativeArousalSum / e.NegativeWeight;
            valence += RepulsionStrength * negativeShare * (valence - negativeValence);
            arousal += RepulsionStrength * negativeShare * (arousal - negativeArousal);
        }

        var confidence = e.PositiveWeight / (e.PositiveWeight + PriorWeight) * (1 - negativeShare);
        return new LearnedMood(
            e.TrackId,
            (float)Math.Clamp(valence, -1, 1),
            (float)Math.Clamp(arousal, -1, 1),
            e.PositiveCount,
            e.NegativeCount,
            (float)Math.Clamp(confidence, 0, 1));
    }
}
