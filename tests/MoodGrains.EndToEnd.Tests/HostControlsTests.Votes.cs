using Microsoft.Playwright;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>What every member can do to the track (rate it, vote to skip it) and the host's mood policy, in real pages.</summary>
public sealed partial class HostControlsTests
{
    /// <summary>Which of the person's rating and vote buttons are lit, as "like,dislike,vote".</summary>
    private const string Lit =
        "() => ['like', 'dislike', 'vote-skip'].map(id => document.getElementById(id).classList.contains('primary')).join(',')";

    [Fact]
    public async Task Ratings_are_personal_and_enough_guest_votes_skip_the_track_on_every_page()
    {
        await using var party = new Party("votes", await OpenAsync(Desktop, "Ann", "Bob", "Cy"));
        await GatherAsync(party);
        var (ann, bob, cy) = (party.Host, party.People[1], party.People[2]);
        var (annId, bobId) = (await ann.EvalAsync<string>("() => moodgrains.userId"), await bob.EvalAsync<string>("() => moodgrains.userId"));
        await ann.Page.ClickAsync("#play");

        // Three members: half, rounded up, is two votes; every page shows none of two.
        await party.AllAsync(
            $"() => moodgrains.room.nowPlaying?.state === 'Playing' && document.getElementById('skip-votes').textContent === '0/2' && ({QueueIds})().length > 0");
        var first = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.entryId");
        var next = await ann.EvalAsync<string>("() => moodgrains.room.queue[0].entryId");

        // Bob likes the track: every page knows, but only Bob's own Like button lights up.
        await bob.Page.ClickAsync("#like");
        await party.AllAsync("id => JSON.stringify(moodgrains.room.nowPlaying.likes) === JSON.stringify([id])", bobId);
        Assert.Equal("true,false,false", await bob.EvalAsync<string>(Lit));
        Assert.Equal("false,false,false", await ann.EvalAsync<string>(Lit));
        Assert.Equal("false,false,false", await cy.EvalAsync<string>(Lit));

        // He changes his mind: the dislike replaces the like.
        await bob.Page.ClickAsync("#dislike");
        await party.AllAsync(
            "id => moodgrains.room.nowPlaying.likes.length === 0 && JSON.stringify(moodgrains.room.nowPlaying.dislikes) === JSON.stringify([id])", bobId);
        Assert.Equal("false,true,false", await bob.EvalAsync<string>(Lit));

        // Ann's like lights her button and leaves Bob's dislike alone.
        await ann.Page.ClickAsync("#like");
        await party.AllAsync(
            "p => { const np = moodgrains.room.nowPlaying; return JSON.stringify(np.likes) === JSON.stringify([p.ann]) && JSON.stringify(np.dislikes) === JSON.stringify([p.bob]); }",
            new { ann = annId, bob = bobId });
        Assert.Equal("true,false,false", await ann.EvalAsync<string>(Lit));
        Assert.Equal("false,true,false", await bob.EvalAsync<string>(Lit));
        Assert.Equal("false,false,false", await cy.EvalAsync<string>(Lit));

        // One guest's vote to skip: every page shows one of two, and the track plays on.
        await bob.Page.ClickAsync("#vote-skip");
        await party.AllAsync(
            "e => document.getElementById('skip-votes').textContent === '1/2' && moodgrains.room.nowPlaying.entry.entryId === e && moodgrains.room.nowPlaying.state === 'Playing'",
            first);
        Assert.Equal("false,true,true", await bob.EvalAsync<string>(Lit));
        Assert.Equal("false,false,false", await cy.EvalAsync<string>(Lit));

        // The second guest's vote reaches the threshold: every page moves to the head of the queue, votes and ratings start afresh.
        await cy.Page.ClickAsync("#vote-skip");
        await party.AllAsync(
            "e => { const np = moodgrains.room.nowPlaying; return np.entry.entryId === e && np.state === 'Playing' && np.likes.length === 0 && np.dislikes.length === 0 " +
            "&& document.getElementById('skip-votes').textContent === '0/2' && document.getElementById('np-title').textContent === np.entry.track.title; }",
            next);
        foreach (var person in party.People)
        {
            Assert.Equal("false,false,false", await person.EvalAsync<string>(Lit));
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
