using MoodGrains.Cli.Load;

namespace MoodGrains.Cli.Tests;

public sealed class LatencyTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // Two rooms: a+b+c together, d alone.
    private static LatencyTracker Tracker() => new(new Dictionary<string, int> { ["a"] = 3, ["b"] = 3, ["c"] = 3, ["d"] = 1 });

    [Fact]
    public void Latency_is_from_send_to_the_last_member_receiving_the_reading()
    {
        var tracker = Tracker();
        tracker.OnOutcome("a", T0, sentMs: 100);
        tracker.OnPush("a", "a", T0, 130);
        tracker.OnPush("b", "a", T0, 150);
        Assert.Empty(tracker.LatenciesMs);
        Assert.Equal(1, tracker.Undelivered);

        tracker.OnPush("c", "a", T0, 142);

        Assert.Equal([50.0], tracker.LatenciesMs);
        Assert.Equal(0, tracker.Undelivered);
    }

    [Fact]
    public void Pushes_that_arrive_before_the_outcome_still_count()
    {
        var tracker = Tracker();
        tracker.OnPush("a", "b", T0, 210);
        tracker.OnPush("b", "b", T0, 220);
        tracker.OnPush("c", "b", T0, 205);

        tracker.OnOutcome("b", T0, sentMs: 200);

        Assert.Equal([20.0], tracker.LatenciesMs);
    }

    [Fact]
    public void Only_the_first_push_per_member_counts_and_later_repeats_start_nothing()
    {
        var tracker = Tracker();
        tracker.OnOutcome("a", T0, sentMs: 0);
        tracker.OnPush("a", "a", T0, 10);
        tracker.OnPush("a", "a", T0, 500); // a later update, caused by someone else, repeats a's reading
        tracker.OnPush("b", "a", T0, 20);
        tracker.OnPush("c", "a", T0, 30);
        tracker.OnPush("b", "a", T0, 900);

        Assert.Equal([30.0], tracker.LatenciesMs);
        Assert.Equal(0, tracker.Undelivered);
    }

    [Fact]
    public void Readings_are_told_apart_by_sender_and_timestamp()
    {
        var tracker = Tracker();
        var t1 = T0.AddMilliseconds(500);
        tracker.OnOutcome("a", T0, sentMs: 0);
        tracker.OnOutcome("a", t1, sentMs: 500);
        tracker.OnOutcome("d", T0, sentMs: 0);
        foreach (var receiver in new[] { "a", "b", "c" })
        {
            tracker.OnPush(receiver, "a", t1, 540);
        }

        tracker.OnPush("d", "d", T0, 7);

        Assert.Equal([40.0, 7.0], tracker.LatenciesMs);
        Assert.Equal(1, tracker.Undelivered); // a's first reading reached nobody
    }

    [Fact]
    public void A_repeated_outcome_for_the_same_reading_is_counted_not_measured_twice()
    {
        var tracker = Tracker();
        tracker.OnOutcome("d", T0, sentMs: 0);
        tracker.OnPush("d", "d", T0, 5);
        tracker.OnOutcome("d", T0, sentMs: 10);

        Assert.Equal([5.0], tracker.LatenciesMs);
        Assert.Equal(1, tracker.DuplicateOutcomes);
    }

    [Fact]
    public void Pushes_about_users_outside_the_run_are_ignored()
    {
        var tracker = Tracker();
        tracker.OnPush("a", "stranger", T0, 5);

        Assert.Empty(tracker.LatenciesMs);
        Assert.Equal(0, tracker.Undelivered);
    }
}
