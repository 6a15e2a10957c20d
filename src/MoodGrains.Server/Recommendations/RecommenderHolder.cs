using MoodGrains.Recommendations.Hybrid;

namespace MoodGrains.Server.Recommendations;

/// <summary>
/// The recommender currently serving. Retraining builds a new snapshot off to the side and swaps the reference,
/// so requests never see a half-trained model and never wait for training.
/// </summary>
public sealed class RecommenderHolder
{
    private volatile HybridRecommender? _current;

    /// <summary>Null until the first training run has finished.</summary>
    public HybridRecommender? Current => _current;

    public void Replace(HybridRecommender recommender) => _current = recommender;
}
