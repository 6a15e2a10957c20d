using MoodGrains.Cli.MoodFollow;

namespace MoodGrains.Cli.Tests;

/// <summary>The mood-follow bench, small: the just-in-time queue must follow the faces where the old refill does not.</summary>
public sealed class BenchMoodFollowTests
{
    [Fact]
    public void A_small_run_shows_the_live_queue_following_the_room_and_the_old_one_lagging()
    {
        var result = MoodFollowSimulation.Run(seed: 3, rooms: 3, items: 1500, users: 200);

        var (baseline, live) = (result.Guests.Baseline, result.Guests.Live);
        Assert.Equal(9, live.Shifts);
        Assert.True(live.Tracks > 40, $"only {live.Tracks} tracks played");
        Assert.True(live.TracksToFollowP50 <= 1, $"live tracks to follow {live.TracksToFollowP50}");
        Assert.True(live.TracksToFollowMean < baseline.TracksToFollowMean, $"live {live.TracksToFollowMean} vs baseline {baseline.TracksToFollowMean}");
        Assert.True(live.MeanDistance <= 0.7 * baseline.MeanDistance, $"live {live.MeanDistance} vs baseline {baseline.MeanDistance}");
        Assert.True(live.SteadyReplansPerHour <= 5, $"{live.SteadyReplansPerHour} re-plans per steady hour");
        Assert.Equal(0, baseline.ReplansPerHour);
        // Re-plans never add iso steps: the live walk moves no further per track than the old one did.
        Assert.True(live.MaxTargetStep <= baseline.MaxTargetStep + 0.05, $"live step {live.MaxTargetStep} vs baseline {baseline.MaxTargetStep}");
        Assert.True(result.Regulars.Live.MeanDistance < result.Regulars.Baseline.MeanDistance);
    }
}
