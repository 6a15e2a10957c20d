using Microsoft.Playwright;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>What every member can do to the track (rate it, vote to skip it) and the host's mood policy, in real pages.</summary>
public sealed partial class HostControlsTests
{
    /// <summary>
    /// Which of the person's rating and vote buttons are lit, as "like,dislike,vote"; a button whose aria-pressed
    /// disagrees with its look reads "mismatch".
    /// </summary>
    private const string Lit =
        "() => ['like', 'dislike', 'vote-skip'].map(id => { const b = document.getElementById(id); const lit = b.classList.contains('primary'); " +
        "return b.getAttribute('aria-pressed') === String(lit) ? String(lit) : 'mismatch'; }).join(',')";

    /// <summary>Whether every page's skip label reads the given text, on the given track, still playing.</summary>
    private const string VotesOn =
        "p => document.getElementById('skip-votes').textContent === p.text && moodgrains.room.nowPlaying?.entry.entryId === p.entry " +
        "&& moodgrains.room.nowPlaying.state === 'Playing'";

    [Fact]
    public async Task Likes_toggle_and_show_their_state_and_ratings_are_personal()
    {
        await using var party = new Party("likes", await OpenAsync(Desktop, "Ann", "Bob", "Cy"));
        await GatherAsync(party);
        var (ann, bob, cy) = (party.Host, party.People[1], party.People[2]);
        var (annId, bobId) = (await ann.EvalAsync<string>("() => moodgrains.userId"), await bob.EvalAsync<string>("() => moodgrains.userId"));
        await ann.Page.ClickAsync("#play");
        await party.AllAsync("() => moodgrains.room.nowPlaying?.state === 'Playing'");

        // Bob likes the track: every page knows, but only Bob's own Like button lights up.
        await bob.Page.ClickAsync("#like");
        await party.AllAsync("id => JSON.stringify(moodgrains.room.nowPlaying.likes) === JSON.stringify([id])", bobId);
        Assert.Equal("true,false,false", await bob.EvalAsync<string>(Lit));
        Assert.Equal("false,false,false", await ann.EvalAsync<string>(Lit));
        Assert.Equal("false,false,false", await cy.EvalAsync<string>(Lit));

        // He presses Like again: the like is taken back everywhere and his button goes dark.
        await bob.Page.ClickAsync("#like");
        await party.AllAsync("() => moodgrains.room.nowPlaying.likes.length === 0 && moodgrains.room.nowPlaying.dislikes.length === 0");
        await bob.WaitForAsync($"() => ({Lit})() === 'false,false,false'");

        // He dislikes it: lit; then likes it: the like replaces the dislike.
        await bob.Page.ClickAsync("#dislike");
        await party.AllAsync("id => JSON.stringify(moodgrains.room.nowPlaying.dislikes) === JSON.stringify([id])", bobId);
        Assert.Equal("false,true,false", await bob.EvalAsync<string>(Lit));
        await bob.Page.ClickAsync("#like");
        await party.AllAsync(
            "id => moodgrains.room.nowPlaying.dislikes.length === 0 && JSON.stringify(moodgrains.room.nowPlaying.likes) === JSON.stringify([id])", bobId);
        Assert.Equal("true,false,false", await bob.EvalAsync<string>(Lit));

        // Ann dislikes, then takes it back with a second press; Bob's like stays.
        await ann.Page.ClickAsync("#dislike");
        await party.AllAsync("id => JSON.stringify(moodgrains.room.nowPlaying.dislikes) === JSON.stringify([id])", annId);
        Assert.Equal("false,true,false", await ann.EvalAsync<string>(Lit));
        await ann.Page.ClickAsync("#dislike");
        await party.AllAsync(
            "id => moodgrains.room.nowPlaying.dislikes.length === 0 && JSON.stringify(moodgrains.room.nowPlaying.likes) === JSON.stringify([id])", bobId);
        await ann.WaitForAsync($"() => ({Lit})() === 'false,false,false'");
        Assert.Equal("true,false,false", await bob.EvalAsync<string>(Lit));
        Assert.Equal("false,false,false", await cy.EvalAsync<string>(Lit));
    }

    [Fact]
    public async Task Skipping_takes_a_majority_of_the_members_present_and_every_page_shows_the_count()
    {
        await using var party = new Party("votes", await OpenAsync(Desktop, "Ann", "Bob", "Cy"));
        await GatherAsync(party);
        var (ann, bob, cy) = (party.Host, party.People[1], party.People[2]);
        await ann.Page.ClickAsync("#play");
        await party.AllAsync($"() => moodgrains.room.nowPlaying?.state === 'Playing' && ({QueueIds})().length > 2");
        var first = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.entryId");

        // Three members: two votes skip. Every page says none of two yet.
        await party.AllAsync(VotesOn, new { text = "(0 of 2 votes)", entry = first });
        Assert.Equal("Vote skip (0 of 2 votes)", await cy.Page.InnerTextAsync("#vote-skip"));

        // One guest's vote: one of two on every page, the track plays on, and only Bob's button is lit.
        await bob.Page.ClickAsync("#vote-skip");
        await party.AllAsync(VotesOn, new { text = "(1 of 2 votes)", entry = first });
        Assert.Equal("false,false,true", await bob.EvalAsync<string>(Lit));
        Assert.Equal("false,false,false", await cy.EvalAsync<string>(Lit));

        // Bob leaves: his vote goes with him. Two members left, and two of two are needed: one vote alone never skips.
        await bob.Page.ClickAsync("#leave");
        await Task.WhenAll(ann.WaitForAsync(VotesOn, new { text = "(0 of 2 votes)", entry = first }), cy.WaitForAsync(VotesOn, new { text = "(0 of 2 votes)", entry = first }));
        await cy.Page.ClickAsync("#vote-skip");
        await Task.WhenAll(ann.WaitForAsync(VotesOn, new { text = "(1 of 2 votes)", entry = first }), cy.WaitForAsync(VotesOn, new { text = "(1 of 2 votes)", entry = first }));
        Assert.Equal("false,false,true", await cy.EvalAsync<string>(Lit));

        // Ann's vote makes two of two: both pages move to the next track, with the count and the lit buttons reset.
        var next = await ann.EvalAsync<string>("() => moodgrains.room.queue[0].entryId");
        await ann.Page.ClickAsync("#vote-skip");
        var reset = new { text = "(0 of 2 votes)", entry = next };
        await Task.WhenAll(ann.WaitForAsync(VotesOn, reset), cy.WaitForAsync(VotesOn, reset));
        foreach (var person in new[] { ann, cy })
        {
            Assert.Equal("false,false,false", await person.EvalAsync<string>(Lit));
            Assert.Equal(await person.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.track.title"), await person.Page.InnerTextAsync("#np-title"));
        }
    }

    [Fact]
    public async Task The_hosts_mood_policy_reaches_every_page_and_re_picks_only_the_recommenders_entries()
    {
        await using var party = new Party("policy", await OpenAsync(Desktop, "Ann", "Bob"));
        await GatherAsync(party);
        var (ann, bob) = (party.Host, party.People[1]);
        await party.AllAsync($"() => moodgrains.room.policy === 'Match' && document.getElementById('room-policy').dataset.policy === 'Match' && ({QueueIds})().length >= 3");

        // Bob adds a track of his own: it leads the queue, ahead of the recommender's picks.
        var results = await SearchAsync(bob, "Queen");
        var bobsTrack = await results.Nth(0).Locator(".track").InnerTextAsync();
        await results.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await party.AllAsync(EntryAt, new { index = 0, track = bobsTrack, reason = "added by Bob" });
        var before = await ann.EvalAsync<string[]>(QueueIds);

        // Boost: every page says so (the guest in words, the host's selector too), Bob's entry stays first, the rest are new picks.
        await ann.Page.SelectOptionAsync("#policy", "Boost");
        await party.AllAsync(
            $"p => moodgrains.room.policy === 'Boost' && document.getElementById('room-policy').dataset.policy === 'Boost' && ({QueueIds})()[0] === p",
            before[0]);
        Assert.Equal("Boost", await ann.Page.InputValueAsync("#policy"));
        await Assertions.Expect(bob.Page.Locator("#room-policy")).ToHaveTextAsync("The host is lifting the mood: brighter music.");
        var boosted = await ann.EvalAsync<string[]>(QueueIds);
        Assert.Equal(boosted, await bob.EvalAsync<string[]>(QueueIds));
        Assert.True(boosted.Length >= 3, "The room tops the queue up after re-picking.");
        // A pick that still fits the new policy keeps its place (with nothing playing and no faces, the first step of
        // any policy is the room's own mood, so all may stay); every other one is new and says why it came.
        const string replanned = "p => moodgrains.room.queue.slice(1).every(e => !e.addedByUserId && (p.before.includes(e.entryId) || e.change === p.change))";
        Assert.True(await ann.EvalAsync<bool>(replanned, new { before, change = "the host chose to lift the mood" }));
        Assert.True(await party.Host.EvalAsync<bool>(EntryAt, new { index = 0, track = bobsTrack, reason = "added by Bob" }));

        // The guest cannot steer the mood even by forcing the hidden selector; nothing changes.
        await ExpectRefusedAsync(bob, () => bob.Page.EvaluateAsync(
            "() => { const s = document.getElementById('policy'); s.value = 'Calm'; s.dispatchEvent(new Event('change')); }"), "NotHost");
        Assert.Equal("Boost", await ann.EvalAsync<string>("() => moodgrains.room.policy"));
        Assert.Equal(boosted, await ann.EvalAsync<string[]>(QueueIds));

        // Calm: again on every page, again only the recommender's entries re-picked.
        await ann.Page.SelectOptionAsync("#policy", "Calm");
        await party.AllAsync(
            $"p => moodgrains.room.policy === 'Calm' && document.getElementById('room-policy').dataset.policy === 'Calm' && ({QueueIds})()[0] === p",
            before[0]);
        await Assertions.Expect(bob.Page.Locator("#room-policy")).ToHaveTextAsync("The host is calming the room: gentler music.");
        var calmed = await bob.EvalAsync<string[]>(QueueIds);
        Assert.True(await bob.EvalAsync<bool>(replanned, new { before = boosted, change = "the host chose to calm the room" }));
    }
}
