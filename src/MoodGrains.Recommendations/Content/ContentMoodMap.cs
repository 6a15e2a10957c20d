using MoodGrains.Mood;

namespace MoodGrains.Recommendations.Content;

/// <summary>
/// A linear map from standardised audio features to a circumplex point: valence = b_v + sum_f w_vf * z_f, and the same
/// for arousal, where z_f = (feature - mean_f) / std_f. A missing feature contributes z = 0 (its training mean), so a
/// track with only some features still gets a point, and a track with none gets no point at all.
/// </summary>
public sealed class ContentMoodMap
{
    private readonly float[] _means;
    private readonly float[] _stds;
    private readonly float[] _valenceWeights;
    private readonly float[] _arousalWeights;

    public ContentMoodMap(float[] means, float[] stds, float[] valenceWeights, float[] arousalWeights)
    {
        if (means.Length != TrackFeatures.Count || stds.Length != TrackFeatures.Count
            || valenceWeights.Length != TrackFeatures.Count + 1 || arousalWeights.Length != TrackFeatures.Count + 1)
        {
            throw new ArgumentException($"Expected {TrackFeatures.Count} means/stds and {TrackFeatures.Count + 1} weights (intercept first).");
        }

        _means = means;
        _stds = stds;
        _valenceWeights = valenceWeights;
        _arousalWeights = arousalWeights;
    }

    public IReadOnlyList<float> Means => _means;

    public IReadOnlyList<float> Stds => _stds;

    /// <summary>Intercept first, then one weight per feature in <see cref="TrackFeatures.Names"/> order.</summary>
    public IReadOnlyList<float> ValenceWeights => _valenceWeights;

    public IReadOnlyList<float> ArousalWeights => _arousalWeights;

    /// <summary>The map shipped with the code: <see cref="FittedContentMoodMap"/>.</summary>
    public static ContentMoodMap Default { get; } = FittedContentMoodMap.Create();

    /// <summary>The track's point in mood space, or null when it has no features at all.</summary>
    public MoodPoint? Predict(TrackFeatures features)
    {
        if (features.IsEmpty)
        {
            return null;
        }

        float valence = _valenceWeights[0], arousal = _arousalWeights[0];
        for (var f = 0; f < TrackFeatures.Count; f++)
        {
            if (features[f] is { } value && float.IsFinite(value))
            {
                var z = (value - _means[f]) / _stds[f];
                valence += _valenceWeights[f + 1] * z;
                arousal += _arousalWeights[f + 1] * z;
            }
        }

        return new MoodPoint(Math.Clamp(valence, -1f, 1f), Math.Clamp(arousal, -1f, 1f));
    }
}
