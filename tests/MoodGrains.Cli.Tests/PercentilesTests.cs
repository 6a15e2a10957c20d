using MoodGrains.Cli.Load;

namespace MoodGrains.Cli.Tests;

public sealed class PercentilesTests
{
    [Fact]
    public void Nearest_rank_returns_measured_values()
    {
        // 1..100 shuffled: the p-th percentile by nearest rank is p itself.
        var values = Enumerable.Range(1, 100).Select(i => (double)i).OrderBy(v => (v * 37) % 101).ToList();

        Assert.Equal(50, Percentiles.Of(values, 50));
        Assert.Equal(95, Percentiles.Of(values, 95));
        Assert.Equal(99, Percentiles.Of(values, 99));
        Assert.Equal(100, Percentiles.Of(values, 100));
        Assert.Equal(1, Percentiles.Of(values, 0));
    }

    [Fact]
    public void Small_samples_round_the_rank_up()
    {
        double[] values = [30, 10, 20];

        Assert.Equal(20, Percentiles.Of(values, 50));
        Assert.Equal(30, Percentiles.Of(values, 95));
        Assert.Equal(10, Percentiles.Of(values, 33));
    }

    [Fact]
    public void Summary_of_nothing_is_empty_and_of_values_is_consistent()
    {
        var empty = Percentiles.Summarize([]);
        Assert.Equal(0, empty.Count);
        Assert.True(double.IsNaN(empty.P95));

        var summary = Percentiles.Summarize([4, 1, 3, 2]);
        Assert.Equal(new Percentiles.Summary(4, 2.5, 2, 4, 4, 4), summary);
    }

    [Fact]
    public void Percent_outside_0_to_100_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1.0], 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1.0], -1));
    }
}
