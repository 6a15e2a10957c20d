namespace MoodGrains.Recommendations.Tests;

public sealed class TopKTests
{
    [Fact]
    public void TopK_returns_the_best_indices_in_order_and_skips_excluded()
    {
        float[] scores = [0.1f, 5f, float.NegativeInfinity, 3f, 4f, float.NaN, 2f];
        Assert.Equal([1, 4, 3], TopK.Select(scores, 3));
        Assert.Equal([1, 4, 3, 6, 0], TopK.Select(scores, 10));
    }
}
