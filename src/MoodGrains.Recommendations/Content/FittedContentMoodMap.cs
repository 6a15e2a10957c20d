namespace MoodGrains.Recommendations.Content;

/// <summary>
/// Coefficients of <see cref="ContentMoodMap"/> fitted on the Spotify mood dataset (data_moods.csv, 686 tracks,
/// labels Happy/Sad/Energetic/Calm) with ridge = 1
/// (nearest-label accuracy 52.2% on the training rows, 52.3% in 5-fold cross-validation; chance is 25%). Refit and print these with
/// <c>moodgrains fit content --moods ../shared/data/spotify-catalog/data_moods.csv</c>.
/// </summary>
internal static class FittedContentMoodMap
{
    public static ContentMoodMap Create() => new(
        means: [0.34244f, 0.50769f, 0.50055f, 0.44975f, 119.1347f],
        stds: [0.25212f, 0.32625f, 0.15884f, 0.41043f, 28.95756f],
        valenceWeights: [0.2094f, 0.0772f, 0.0468f, -0.01734f, 0.00371f, -0.00746f],
        arousalWeights: [0.05089f, 0.05979f, 0.36785f, 0.00851f, -0.11639f, 0.01613f]);
}
