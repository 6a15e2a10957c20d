using Microsoft.Playwright;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>The room's "up next" following a member's mood, in real pages.</summary>
public sealed partial class HostControlsTests
{
    [Fact]
    public async Task A_member_turning_sad_replans_up_next_within_the_track_and_leaves_an_added_track_in_place()
    {
        await using var party = new Party("mood-follow", await OpenAsync(Desktop, "Ann", "Bob"));
        await GatherAsync(party);
        var (ann, bob) = (party.Host, party.People[1]);
        var annId = await ann.EvalAsync<string>("() => moodgrains.userId");

        // Ann has no camera and says she is happy: the pick holds, shows as picked, and starts the plan at once.
        await ann.Page.SelectOptionAsync("#manual-mood", "Happy");
        await party.AllAsync(
            "id => { const li = document.querySelector(`#members li[data-user-id=\"${id}\"]`); " +
            "return li?.dataset.manual === 'true' && li.dataset.dominant === 'Happy' && moodgrains.room.queue.length >= 3; }",
            annId);
        await ann.Page.ClickAsync("#play");
        await party.AllAsync("() => moodgrains.room.nowPlaying?.state === 'Playing' && moodgrains.room.queue.length >= 3");
        var playing = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.entryId");

        // Bob adds a track: it leads "up next", ahead of MoodGrains' plan.
        var results = await SearchAsync(bob, "Queen");
        var bobsTrack = await results.Nth(0).Locator(".track").InnerTextAsync();
        await results.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await party.AllAsync(EntryAt, new { index = 0, track = bobsTrack, reason = "added by Bob" });
        var bobsEntry = await ann.EvalAsync<string>("() => moodgrains.room.queue[0].entryId");
        var happyPlan = await ann.EvalAsync<string[]>("() => moodgrains.room.queue.filter(e => !e.addedByUserId && !e.pinned).map(e => e.entryId)");
        var happyValence = await ann.EvalAsync<double>("() => Math.min(...moodgrains.room.queue.filter(e => e.target).map(e => e.target.valence))");

        // Ann turns sad. Within the same track, Bob's page shows new picks aimed sadder, marked with the change, and
        // Bob's own track exactly where it was.
        await ann.Page.SelectOptionAsync("#manual-mood", "Sad");
        await bob.WaitForAsync(
            "p => { const q = moodgrains.room.queue; const changed = document.querySelectorAll('#queue li.changed .change'); " +
            "return q[0]?.entryId === p.bobsEntry && changed.length > 0 && [...changed].every(c => c.textContent === 're-planned: the room turned sadder'); }",
            new { bobsEntry });
        Assert.Equal(playing, await bob.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.entryId"));
        Assert.True(await bob.EvalAsync<bool>(EntryAt, new { index = 0, track = bobsTrack, reason = "added by Bob" }));
        var picks = await bob.EvalAsync<string[]>("() => moodgrains.room.queue.filter(e => e.change).map(e => e.entryId)");
        var aims = await bob.EvalAsync<double[]>("() => moodgrains.room.queue.filter(e => e.change).map(e => e.target.valence)");
        Assert.NotEmpty(picks);
        Assert.All(picks, id => Assert.DoesNotContain(id, happyPlan));
        Assert.All(aims, v => Assert.True(v < happyValence, $"A pick aimed at valence {v}, not below the happy plan's {happyValence}."));
        await Assertions.Expect(bob.Page.Locator($"#members li[data-user-id='{annId}'] .mood")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("picked"));
    }
}
