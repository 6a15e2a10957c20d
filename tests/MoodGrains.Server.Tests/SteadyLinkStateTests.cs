using MoodGrains.Server.Backplane;

namespace MoodGrains.Server.Tests;

/// <summary>Which readings of Redis's connected flag become a log line: one line per outage, however it flaps.</summary>
public sealed class SteadyLinkStateTests
{
    [Fact]
    public void A_first_reading_that_answers_is_reported_at_once() =>
        Assert.Equal(true, new SteadyLinkState().Observe(true));

    [Fact]
    public void A_first_connection_still_being_made_is_not_an_outage()
    {
        var state = new SteadyLinkState();

        var reports = new[] { false, true, true }.Select(state.Observe).ToArray();

        Assert.Equal(new bool?[] { null, true, null }, reports);
    }

    [Fact]
    public void Redis_away_from_the_start_is_reported_once_it_held_for_two_readings()
    {
        var state = new SteadyLinkState();

        var reports = new[] { false, false, false, true, true }.Select(state.Observe).ToArray();

        Assert.Equal(new bool?[] { null, false, null, null, true }, reports);
    }

    [Fact]
    public void An_outage_is_reported_once_it_held_for_two_readings_and_its_end_likewise()
    {
        var state = new SteadyLinkState();

        var reports = new[] { true, true, false, false, false, true, true, true }.Select(state.Observe).ToArray();

        Assert.Equal(new bool?[] { true, null, null, false, null, null, true, null }, reports);
    }

    [Fact]
    public void A_flap_during_an_outage_or_a_healthy_spell_is_not_a_new_line()
    {
        var state = new SteadyLinkState();

        // Healthy with one bad reading, then down with one good reading while Redis restarts, then up for good.
        var reports = new[] { true, false, true, true, false, false, true, false, false, true, true }.Select(state.Observe).ToArray();

        Assert.Equal(new bool?[] { true, null, null, null, null, false, null, null, null, null, true }, reports);
        Assert.Single(reports, r => r == false);
    }

    [Fact]
    public void One_reading_makes_every_change_a_line()
    {
        var state = new SteadyLinkState(watches: 1);

        var reports = new[] { true, false, true }.Select(state.Observe).ToArray();

        Assert.Equal(new bool?[] { true, false, true }, reports);
    }

    [Fact]
    public void Fewer_than_one_reading_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SteadyLinkState(watches: 0));
}
