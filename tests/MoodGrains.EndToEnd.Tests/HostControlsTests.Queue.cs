using Microsoft.Playwright;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>Whose track plays when: members' additions take turns, the host's placements hold, removed tracks stay out.</summary>
public sealed partial class HostControlsTests
{
    /// <summary>The queue as "who:track" for people's entries and "plan" for MoodGrains' own picks, in order.</summary>
    private const string QueueShape =
        "() => moodgrains.room.queue.map(e => e.addedByUserId ? `${e.addedBy}:${e.track.trackId}` : (e.pinned ? `pinned:${e.track.trackId}` : 'plan'))";

    [Fact]
    public async Task Two_members_adding_take_turns_behind_what_is_chosen_and_the_hosts_pin_holds()
    {
        await using var party = new Party("turns", await OpenAsync(Desktop, "Ann", "Bob"));
        await GatherAsync(party);
        var (ann, bob) = (party.Host, party.People[1]);
        await party.AllAsync($"() => ({QueueIds})().length >= 3");
        var code = await ann.EvalAsync<string>("() => moodgrains.roomCode");
        var tracks = await ann.EvalAsync<long[]>("c => moodgrains.invoke('SearchTracks', c, 'Queen').then(r => r.map(t => t.trackId))", code);
        Assert.True(tracks.Length >= 5, "The demo catalogue has several Queen tracks.");

        // Ann adds two before Bob adds any: Bob's first goes behind Ann's first, not to the top and not behind her second.
        var annsResults = await SearchAsync(ann, "Queen");
        await AddResultAsync(party, annsResults, 0, tracks[0]);
        await AddResultAsync(party, annsResults, 1, tracks[1]);
        var bobsResults = await SearchAsync(bob, "Queen");
        await AddResultAsync(party, bobsResults, 2, tracks[2]);
        await party.AllAsync(
            $"p => JSON.stringify(({QueueShape})().slice(0, 3)) === JSON.stringify(p)",
            new[] { $"Ann:{tracks[0]}", $"Bob:{tracks[2]}", $"Ann:{tracks[1]}" });
        // Every pick of MoodGrains stays behind what people chose.
        Assert.True(await ann.EvalAsync<bool>($"() => ({QueueShape})().slice(3).every(s => s === 'plan')"));
        Assert.Equal("added by Bob", await ann.Page.Locator("#queue li[data-entry-id] .reason").Nth(1).InnerTextAsync());

        // Bob's second goes behind Ann's second: A1, B1, A2, B2.
        await AddResultAsync(party, bobsResults, 3, tracks[3]);
        string[] turns = [$"Ann:{tracks[0]}", $"Bob:{tracks[2]}", $"Ann:{tracks[1]}", $"Bob:{tracks[3]}"];
        await party.AllAsync($"p => JSON.stringify(({QueueShape})().slice(0, 4)) === JSON.stringify(p)", turns);

        // The host moves MoodGrains' first pick to the top: pinned there. Bob's next addition queues behind it and
        // behind everything chosen, in his third turn.
        var plan = await ann.EvalAsync<string>("() => moodgrains.room.queue[4].entryId");
        var planTrack = await ann.EvalAsync<long>("() => moodgrains.room.queue[4].track.trackId");
        for (var i = 4; i > 0; i--)
        {
            await ann.Page.ClickAsync($"#queue li[data-entry-id='{plan}'] button[title='Move up']");
            await party.AllAsync("p => moodgrains.room.queue[p.i]?.entryId === p.plan", new { i = i - 1, plan });
        }

        await AddResultAsync(party, bobsResults, 4, tracks[4]);
        string[] pinned = [$"pinned:{planTrack}", .. turns, $"Bob:{tracks[4]}"];
        await party.AllAsync($"p => JSON.stringify(({QueueShape})().slice(0, 6)) === JSON.stringify(p)", pinned);
        await ann.WaitForAsync(
            "e => document.querySelector(`#queue li[data-entry-id=\"${e}\"] .badge.pinned`) !== null && document.querySelectorAll('#queue li[data-entry-id]')[0].dataset.entryId === e",
            plan);

        // Playing takes the host's pin first, then the turns in order.
        await ann.Page.ClickAsync("#play");
        await party.AllAsync("t => moodgrains.room.nowPlaying?.entry.track.trackId === t", planTrack);
        await ann.Page.ClickAsync("#skip");
        await party.AllAsync("t => moodgrains.room.nowPlaying?.entry.track.trackId === t", tracks[0]);
        await ann.Page.ClickAsync("#skip");
        await party.AllAsync("t => moodgrains.room.nowPlaying?.entry.track.trackId === t", tracks[2]);
    }

    [Fact]
    public async Task A_track_the_host_removed_or_the_room_disliked_is_not_picked_again()
    {
        await using var party = new Party("excluded", await OpenAsync(Desktop, "Ann", "Bob"));
        await GatherAsync(party);
        var (ann, bob) = (party.Host, party.People[1]);
        await party.AllAsync($"() => ({QueueIds})().length >= 3");

        // The host removes MoodGrains' first pick.
        var removed = await ann.EvalAsync<long>("() => moodgrains.room.queue[0].track.trackId");
        var removedEntry = await ann.EvalAsync<string>("() => moodgrains.room.queue[0].entryId");
        await ann.Page.ClickAsync($"#queue li[data-entry-id='{removedEntry}'] button[title='Remove from queue']");
        await party.AllAsync("e => !moodgrains.room.queue.some(q => q.entryId === e)", removedEntry);

        // The room dislikes the first track it plays (both members), and the host skips it.
        await ann.Page.ClickAsync("#play");
        await party.AllAsync("() => moodgrains.room.nowPlaying?.state === 'Playing'");
        var disliked = await ann.EvalAsync<long>("() => moodgrains.room.nowPlaying.entry.track.trackId");
        await ann.Page.ClickAsync("#dislike");
        await bob.Page.ClickAsync("#dislike");
        await party.AllAsync("() => moodgrains.room.nowPlaying.dislikes.length === 2");
        await ann.Page.ClickAsync("#skip");
        await party.AllAsync("t => moodgrains.room.nowPlaying?.entry.track.trackId !== t", disliked);

        // Re-plan again and again (each policy change re-picks the whole plan, and skips re-plan after every track):
        // neither track comes back in any page's queue nor as the track playing.
        const string Absent =
            "p => moodgrains.room.nowPlaying && ![moodgrains.room.nowPlaying.entry, ...moodgrains.room.queue].some(e => p.includes(e.track.trackId))";
        long[] excluded = [removed, disliked];
        foreach (var policy in new[] { "Boost", "Calm", "Match", "Boost", "Calm", "Match" })
        {
            await ann.Page.SelectOptionAsync("#policy", policy);
            await party.AllAsync($"p => moodgrains.room.policy === p && ({QueueIds})().length >= 3", policy);
            await ann.Page.ClickAsync("#skip");
            await party.AllAsync($"() => ({QueueIds})().length >= 1");
            foreach (var person in party.People)
            {
                Assert.True(await person.EvalAsync<bool>(Absent, excluded), $"{person.Name}'s page shows a removed or disliked track again after {policy}");
            }
        }
    }

    /// <summary>Clicks Add on a search result and waits until every page shows it as someone's addition.</summary>
    private static async Task AddResultAsync(Party party, ILocator results, int index, long trackId)
    {
        await results.Nth(index).GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await party.AllAsync("t => moodgrains.room.queue.some(e => e.addedByUserId && e.track.trackId === t)", trackId);
    }
}
