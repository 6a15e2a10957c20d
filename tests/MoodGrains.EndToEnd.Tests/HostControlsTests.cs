using Microsoft.Playwright;
using MoodGrains.Hosting.Local;
using Xunit.Abstractions;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// The host panel and the queue, clicked in real pages: every change must reach every member's page, and what the
/// page lets someone click must still be refused by the room when they lack the right. People here need no camera,
/// so they share one Chromium (one context each, hence one guest session each) and one server process.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class HostControlsTests(RoomPageFixture fixture, ITestOutputHelper output) : IClassFixture<RoomPageFixture>
{
    private const string QueueIds = "() => [...document.querySelectorAll('#queue li[data-entry-id]')].map(li => li.dataset.entryId)";

    /// <summary>Whether the queue's entry at an index shows the given track and reason.</summary>
    private const string EntryAt =
        "p => { const li = document.querySelectorAll('#queue li[data-entry-id]')[p.index]; " +
        "return !!li && li.querySelector('.track').textContent === p.track && li.querySelector('.reason').textContent === p.reason; }";

    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 60_000 };

    private static string Artifacts => Path.Combine(RepositoryRoot.Path, "TestResults", "e2e");

    [Fact]
    public async Task Pause_play_seek_and_the_guest_controls_toggle_reach_every_page()
    {
        await using var party = new Party("playback", await OpenAsync(Desktop, "Ann", "Bob", "Cy"));
        await GatherAsync(party);
        var (ann, bob) = (party.Host, party.People[1]);
        await ann.Page.ClickAsync("#play");
        await party.AllAsync("() => moodgrains.room.nowPlaying?.state === 'Playing'");
        var entry = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.entryId");

        // Pause: every page says paused, on the same track, with its playhead held where the room stopped.
        await ann.Page.ClickAsync("#pause");
        await party.AllAsync(
            "e => { const np = moodgrains.room.nowPlaying; return np.state === 'Paused' && np.entry.entryId === e && document.getElementById('np-state').textContent === 'paused'; }",
            entry);
        var pausedAt = await ann.EvalAsync<int>("() => moodgrains.room.nowPlaying.anchorPositionMs");
        // Progress stops: after a second and a half of server time, every playhead and clock still reads the paused position.
        await ann.WaitForAsync("t => moodgrains.serverNow() > t + 1500", await ann.EvalAsync<double>("() => moodgrains.serverNow()"));
        foreach (var person in party.People)
        {
            Assert.Equal(pausedAt, await person.EvalAsync<double>("() => moodgrains.playheadMs()"));
            Assert.Equal(Clock(pausedAt), await person.Page.InnerTextAsync("#np-pos"));
        }

        // Play again: the same track resumes from where it paused, and the playhead moves again on every page.
        await ann.Page.ClickAsync("#play");
        await party.AllAsync(
            "p => { const np = moodgrains.room.nowPlaying; return np.state === 'Playing' && np.entry.entryId === p.entry && np.anchorPositionMs === p.at && moodgrains.playheadMs() > p.at + 500; }",
            new { entry, at = pausedAt });

        // Seek with the host's slider to the middle of the track: every page's playhead jumps there.
        var duration = await ann.EvalAsync<int>("() => moodgrains.room.nowPlaying.entry.track.durationMs");
        var middle = (int)Math.Round(duration / 2.0, MidpointRounding.AwayFromZero);
        await ann.Page.FillAsync("#seek", "500");
        await party.AllAsync(
            "p => { const np = moodgrains.room.nowPlaying; return np.state === 'Playing' && np.entry.entryId === p.entry && np.anchorPositionMs === p.at && moodgrains.playheadMs() >= p.at; }",
            new { entry, at = middle });
        foreach (var person in party.People)
        {
            var shown = Milliseconds(await person.Page.InnerTextAsync("#np-pos"));
            Assert.InRange(shown, middle - 1000, middle + 30_000);
        }

        // Guests cannot pause until the host lets them; then a guest's pause reaches everyone; then it is refused again.
        var version = await ann.EvalAsync<long>("() => moodgrains.room.version");
        await ExpectDisabledAndRefusedAsync(bob, "#pause", "Pause");
        Assert.Equal(version, await ann.EvalAsync<long>("() => moodgrains.room.version"));
        Assert.Equal("Playing", await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.state"));

        await ann.Page.CheckAsync("#guest-controls");
        await party.AllAsync("() => moodgrains.room.guestControls");
        await bob.Page.ClickAsync("#pause");
        await party.AllAsync("e => moodgrains.room.nowPlaying.state === 'Paused' && moodgrains.room.nowPlaying.entry.entryId === e", entry);

        await ann.Page.UncheckAsync("#guest-controls");
        await party.AllAsync("() => !moodgrains.room.guestControls");
        version = await ann.EvalAsync<long>("() => moodgrains.room.version");
        await ExpectDisabledAndRefusedAsync(bob, "#play", "Play");
        Assert.Equal(version, await ann.EvalAsync<long>("() => moodgrains.room.version"));
        Assert.Equal("Paused", await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.state"));
    }

    [Fact]
    public async Task Reorder_remove_add_and_the_queue_lock_reach_every_page()
    {
        await using var party = new Party("queue", await OpenAsync(Desktop, "Ann", "Bob", "Cy"));
        await GatherAsync(party);
        var (ann, bob) = (party.Host, party.People[1]);
        // The first plan comes once the faces window closes (nobody here has a camera on).
        await party.AllAsync($"() => ({QueueIds})().length >= 3");
        var before = await ann.EvalAsync<string[]>(QueueIds);
        await party.AllAsync($"ids => JSON.stringify(({QueueIds})()) === JSON.stringify(ids)", before);

        // Move the first entry down one place.
        await ann.Page.ClickAsync($"#queue li[data-entry-id='{before[0]}'] button[title='Move down']");
        string[] moved = [before[1], before[0], .. before[2..]];
        await party.AllAsync($"ids => JSON.stringify(({QueueIds})()) === JSON.stringify(ids)", moved);

        // Remove the third: gone everywhere, the rest keep their order (the room tops the queue up at the end).
        var removed = moved[2];
        await ann.Page.ClickAsync($"#queue li[data-entry-id='{removed}'] button[title='Remove from queue']");
        var kept = moved.Where(id => id != removed).ToArray();
        await party.AllAsync(
            $"p => {{ const ids = ({QueueIds})(); return !ids.includes(p.removed) && JSON.stringify(ids.slice(0, p.kept.length)) === JSON.stringify(p.kept); }}",
            new { removed, kept });

        // A guest searches and adds: the track goes ahead of the recommender's picks, saying who added it.
        var bobsResults = await SearchAsync(bob, "Queen");
        Assert.True(await bobsResults.CountAsync() >= 3, "The demo catalogue has several Queen tracks.");
        var bobsTrack = await bobsResults.Nth(0).Locator(".track").InnerTextAsync();
        await bobsResults.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await party.AllAsync(EntryAt, new { index = 0, track = bobsTrack, reason = "added by Bob" });

        // The host's addition queues behind the guest's.
        var annsResults = await SearchAsync(ann, "Queen");
        var annsTrack = await annsResults.Nth(1).Locator(".track").InnerTextAsync();
        await annsResults.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await party.AllAsync(EntryAt, new { index = 1, track = annsTrack, reason = "added by Ann" });

        // Locked: every page says so, a guest's Add is disabled with the reason, the room refuses it anyway, and no queue changes.
        await ann.Page.CheckAsync("#queue-locked");
        await party.AllAsync("() => moodgrains.room.queueLocked && !document.getElementById('queue-locked-note').hidden");
        var locked = await ann.EvalAsync<string[]>(QueueIds);
        var version = await ann.EvalAsync<long>("() => moodgrains.room.version");
        var add = bobsResults.Nth(2).GetByRole(AriaRole.Button, new() { Name = "Add" });
        await bob.WaitForAsync("() => document.querySelectorAll('#search-results button.add-track')[2]?.disabled === true");
        Assert.StartsWith("Only the host can add tracks", await add.GetAttributeAsync("title") ?? string.Empty, StringComparison.Ordinal);
        var code = await bob.EvalAsync<string>("() => moodgrains.roomCode");
        var trackId = await bob.EvalAsync<long>("c => moodgrains.invoke('SearchTracks', c, 'Queen').then(r => r[2].trackId)", code);
        var refusal = await bob.EvalAsync<string>("p => moodgrains.refusal('AddTrack', p.code, p.trackId)", new { code, trackId });
        Assert.Contains("NotHost", refusal, StringComparison.Ordinal);
        Assert.Contains("locked the queue", refusal, StringComparison.Ordinal);
        Assert.Equal(version, await ann.EvalAsync<long>("() => moodgrains.room.version"));
        foreach (var person in party.People)
        {
            Assert.Equal(locked, await person.EvalAsync<string[]>(QueueIds));
        }

        // Unlocked: the same click now adds, behind the two earlier additions.
        await ann.Page.UncheckAsync("#queue-locked");
        await party.AllAsync("() => !moodgrains.room.queueLocked && document.getElementById('queue-locked-note').hidden");
        var third = await bobsResults.Nth(2).Locator(".track").InnerTextAsync();
        await add.ClickAsync();
        await party.AllAsync(EntryAt, new { index = 2, track = third, reason = "added by Bob" });
    }

    [Fact]
    public async Task Removing_a_member_and_handing_over_the_host_reach_every_page()
    {
        await using var party = new Party("members", await OpenAsync(Desktop, "Ann", "Bob", "Cy"));
        await GatherAsync(party);
        var (ann, bob, cy) = (party.Host, party.People[1], party.People[2]);
        var bobId = await bob.EvalAsync<string>("() => moodgrains.userId");
        var cyId = await cy.EvalAsync<string>("() => moodgrains.userId");

        // Remove Cy: Cy's page goes back to the landing and says why; the others see two members.
        await ann.Page.Locator($"#members li[data-user-id='{cyId}']").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await cy.WaitForAsync(
            "() => moodgrains.roomCode === null && !document.getElementById('landing').hidden && document.getElementById('room').hidden " +
            "&& document.getElementById('error').textContent === 'You were removed from the room.'");
        await Assertions.Expect(cy.Page.Locator("#error")).ToBeVisibleAsync(Visible);
        Person[] stayed = [ann, bob];
        await Task.WhenAll(stayed.Select(p => p.WaitForAsync(
            "id => moodgrains.room.members.length === 2 && document.querySelectorAll('#members li').length === 2 && !document.querySelector(`#members li[data-user-id=\"${id}\"]`)",
            cyId)));

        // Hand the room to Bob: his page gains the host panel and the member buttons, Ann's loses them.
        await ann.Page.Locator($"#members li[data-user-id='{bobId}']").GetByRole(AriaRole.Button, new() { Name = "Make host" }).ClickAsync();
        await Task.WhenAll(stayed.Select(p => p.WaitForAsync(
            "id => moodgrains.room.hostUserId === id && !!document.querySelector(`#members li[data-user-id=\"${id}\"] .badge.host`)", bobId)));
        await bob.WaitForAsync("() => !document.getElementById('host-panel').hidden && document.querySelectorAll('#members button').length === 2");
        await ann.WaitForAsync("() => document.getElementById('host-panel').hidden && document.querySelectorAll('#members button, #queue button').length === 0");

        // The old host's host action is refused and changes nothing; the new host's works.
        var version = await ann.EvalAsync<long>("() => moodgrains.room.version");
        await ExpectDisabledAndRefusedAsync(ann, "#play", "Play");
        Assert.Equal(version, await ann.EvalAsync<long>("() => moodgrains.room.version"));
        Assert.Null(await ann.EvalAsync<string?>("() => moodgrains.room.nowPlaying?.state ?? null"));
        await bob.Page.ClickAsync("#play");
        await Task.WhenAll(stayed.Select(p => p.WaitForAsync("() => moodgrains.room.nowPlaying?.state === 'Playing'")));
    }

    [Fact]
    public async Task Names_from_users_are_shown_as_text_never_run_as_markup()
    {
        const string hostile = "<img src=x onerror=\"window.__xss=1\">";
        await using var party = new Party("names", await OpenAsync(Desktop, "Ann", hostile));
        await GatherAsync(party);
        var guest = party.People[1];

        // The name travels into the member list and, through an added track, into every queue's "added by".
        var results = await SearchAsync(guest, "Queen");
        await results.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await party.AllAsync(
            "n => document.querySelector('#queue li[data-entry-id] .reason')?.textContent === 'added by ' + n", hostile);
        foreach (var person in party.People)
        {
            Assert.Contains(hostile, await person.Page.InnerTextAsync("#members"), StringComparison.Ordinal);
            // The page's one image of its own is the invite QR code; a name turned into markup would add another.
            Assert.Equal(0, await person.EvalAsync<int>("() => document.querySelectorAll('img:not(#invite-qr)').length"));
            Assert.Equal("undefined", await person.EvalAsync<string>("() => typeof window.__xss"));
        }
    }

    [Fact]
    public async Task Phone_sized_pages_fit_the_screen_and_show_the_main_controls()
    {
        // A long name without spaces is the usual way a list pushes a narrow page sideways.
        await using var party = new Party("phone", await OpenAsync(Phone, "Ann", "Bartholomew_the_Remarkably_Long_Named_X"));
        foreach (var person in party.People)
        {
            await AssertFitsAsync(person);
        }

        await party.Host.ScreenshotAsync(Artifacts, "phone-landing");
        await GatherAsync(party);
        var (ann, bart) = (party.Host, party.People[1]);
        await ann.Page.ClickAsync("#play");
        await party.AllAsync($"() => moodgrains.room.nowPlaying?.state === 'Playing' && ({QueueIds})().length > 0");
        await SearchAsync(bart, "Queen");

        string[] everyone = ["#play", "#pause", "#skip", "#like", "#dislike", "#vote-skip", "#queue li", "#search", "#members li", "#camera-toggle", "#manual-mood", "#leave"];
        string[] hostOnly = ["#host-panel", "#seek", "#queue-locked", "#guest-controls", "#policy", "#members li button", "#queue li button"];
        await AssertControlsAsync(ann, [.. everyone, .. hostOnly]);
        await AssertControlsAsync(bart, [.. everyone, "#search-results button"]);
        foreach (var person in party.People)
        {
            await AssertFitsAsync(person);
        }
    }

    private async Task<Person[]> OpenAsync(ViewportSize viewport, params string[] names)
    {
        var people = new List<Person>();
        try
        {
            foreach (var name in names)
            {
                people.Add(await Person.OpenInAsync(fixture.Browser, fixture.Silo.BaseAddress, name, viewport));
            }

            return [.. people];
        }
        catch
        {
            foreach (var person in people)
            {
                await person.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The first person creates a room through the page, the others join it by its code.</summary>
    private async Task GatherAsync(Party party)
    {
        await party.Host.Page.ClickAsync("#create-room");
        await party.Host.WaitForAsync("() => !!moodgrains.roomCode");
        var code = await party.Host.EvalAsync<string>("() => moodgrains.roomCode");
        foreach (var guest in party.People[1..])
        {
            await guest.Page.FillAsync("#join-code", code);
            await guest.Page.ClickAsync("#join-room");
            await guest.WaitForAsync("c => moodgrains.roomCode === c", code);
        }

        await party.AllAsync("n => moodgrains.room.members.length === n", party.People.Length);
        output.WriteLine($"Room {code} ({party.Label}) with {party.People.Length} people");
    }

    private static async Task<ILocator> SearchAsync(Person person, string query)
    {
        await person.Page.FillAsync("#search", query);
        await person.Page.ClickAsync("#search-form button");
        // Results, not the "No results" line an earlier search may have left.
        await person.WaitForAsync("() => document.querySelectorAll('#search-results li .add-track').length > 0");
        return person.Page.Locator("#search-results li");
    }

    /// <summary>Clicks something the page offers, and expects the room to refuse it with the given error code.</summary>
    private static async Task ExpectRefusedAsync(Person person, Func<Task> click, string code)
    {
        // Hide any earlier message so the one awaited below is this click's.
        await person.Page.EvaluateAsync("() => { const box = document.getElementById('error'); box.hidden = true; box.textContent = ''; }");
        await click();
        await person.Page.WaitForSelectorAsync("#error:not([hidden])");
        Assert.Equal(code, await person.Page.GetAttributeAsync("#error", "data-code"));
    }

    /// <summary>
    /// A control the person may not use is disabled, saying why; called past the page anyway, the room refuses it.
    /// </summary>
    private static async Task ExpectDisabledAndRefusedAsync(Person person, string selector, string method)
    {
        await person.WaitForAsync("s => document.querySelector(s).disabled", selector);
        Assert.StartsWith("Only the host can", await person.Page.GetAttributeAsync(selector, "title") ?? string.Empty, StringComparison.Ordinal);
        var refusal = await person.EvalAsync<string>("m => moodgrains.refusal(m, moodgrains.roomCode)", method);
        Assert.Contains("NotHost", refusal, StringComparison.Ordinal);
    }

    private static async Task AssertFitsAsync(Person person)
    {
        var widths = await person.EvalAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{person.Name}'s page is {widths[0]} px wide on a {widths[1]} px screen.");
    }

    /// <summary>Each control is shown, and lies within the screen's width (a phone user cannot scroll sideways to it).</summary>
    private static async Task AssertControlsAsync(Person person, IEnumerable<string> selectors)
    {
        var width = await person.EvalAsync<int>("() => window.innerWidth");
        foreach (var selector in selectors)
        {
            var control = person.Page.Locator(selector).First;
            await Assertions.Expect(control).ToBeVisibleAsync(Visible);
            var box = await control.BoundingBoxAsync() ?? throw new InvalidOperationException($"{selector} has no box.");
            Assert.True(box.X >= 0 && box.X + box.Width <= width + 0.5, $"{selector} spans {box.X:F0}..{box.X + box.Width:F0} px on a {width} px screen.");
        }
    }

    private static string Clock(int ms) => $"{ms / 60_000}:{ms / 1000 % 60:00}";

    private static int Milliseconds(string clock)
    {
        var parts = clock.Split(':');
        return ((int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 60) + int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)) * 1000;
    }

    /// <summary>The people of one room; the first is the host. Disposing saves each page's screenshot, then closes it.</summary>
    private sealed class Party(string label, Person[] people) : IAsyncDisposable
    {
        public string Label => label;

        public Person[] People => people;

        public Person Host => people[0];

        public Task AllAsync(string predicate, object? arg = null) => Task.WhenAll(people.Select(p => p.WaitForAsync(predicate, arg)));

        public async ValueTask DisposeAsync()
        {
            for (var i = 0; i < people.Length; i++)
            {
                try
                {
                    await people[i].ScreenshotAsync(Artifacts, $"{label}-{(i == 0 ? "host" : "guest" + i)}");
                }
                catch (PlaywrightException)
                {
                    // A page that already failed must not hide the test's own failure.
                }

                await people[i].DisposeAsync();
            }
        }
    }
}
