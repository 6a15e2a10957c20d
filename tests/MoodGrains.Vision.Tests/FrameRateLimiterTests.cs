namespace MoodGrains.Vision.Tests;

public sealed class FrameRateLimiterTests
{
    [Fact]
    public void A_burst_passes_then_frames_pass_at_the_rate()
    {
        var limiter = new FrameRateLimiter(perSecond: 5, burst: 3);

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => limiter.TryTake("ann", 100.0)).ToArray());
        Assert.False(limiter.TryTake("ann", 100.1)); // half a token
        Assert.True(limiter.TryTake("ann", 100.2));  // one token refilled
        Assert.False(limiter.TryTake("ann", 100.2));
        // A long pause refills the bucket only up to the burst.
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => limiter.TryTake("ann", 200.0)));
    }

    [Fact]
    public void Each_user_has_their_own_bucket()
    {
        var limiter = new FrameRateLimiter(perSecond: 1, burst: 1);

        Assert.True(limiter.TryTake("ann", 0));
        Assert.False(limiter.TryTake("ann", 0));
        Assert.True(limiter.TryTake("bob", 0));
    }

    [Fact]
    public void A_clock_that_steps_back_gives_no_tokens()
    {
        var limiter = new FrameRateLimiter(perSecond: 1, burst: 1);

        Assert.True(limiter.TryTake("ann", 10));
        Assert.False(limiter.TryTake("ann", 5));
        Assert.False(limiter.TryTake("ann", 10.5));
        Assert.True(limiter.TryTake("ann", 11));
    }

    [Fact]
    public void Pruning_forgets_only_buckets_that_have_refilled()
    {
        var limiter = new FrameRateLimiter(perSecond: 2, burst: 4);
        limiter.TryTake("gone", 0);
        limiter.TryTake("active", 9);

        limiter.Prune(10); // "gone" refilled after 2 s; "active" still owes a token

        Assert.Equal(1, limiter.Tracked);
        Assert.Equal(4, Enumerable.Range(0, 10).Count(_ => limiter.TryTake("gone", 10)));
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => limiter.TryTake("active", 9)));
    }
}
