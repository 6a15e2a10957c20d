using Microsoft.Playwright;
using MoodGrains.Hosting.Local;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// What a first-time user meets on the page: controls that follow their role, plain messages, a solo view, one-step
/// invitations, a phone layout, readings with their uncertainty and a chart that survives a reload.
/// </summary>
public sealed partial class HostControlsTests
{
    /// <summary>Set to a folder (e.g. docs/images) to also save the host, guest, solo and phone views there.</summary>
    private static readonly string? DocsImages = Environment.GetEnvironmentVariable("MOODGRAINS_DOCS_IMAGES");

    [Fact]
    public async Task Guests_see_host_controls_disabled_and_the_room_still_refuses_them()
    {
        await using var party = new Party("roles", await OpenAsync(Desktop, "Ann", "Bob"));
        await GatherAsync(party);
        var (ann, bob) = (party.Host, party.People[1]);
        var code = await ann.EvalAsync<string>("() => moodgrains.roomCode");
        await party.AllAsync($"() => ({QueueIds})().length > 0");

        // Before playing, the host's Play is the highlighted button; while playing, Pause is, and Play is not.
        Assert.True(await IsPrimaryAsync(ann, "#play"));
        await ann.Page.ClickAsync("#play");
        await party.AllAsync("() => moodgrains.room.nowPlaying?.state === 'Playing'");
        await ann.WaitForAsync("() => !document.getElementById('play').classList.contains('primary') && document.getElementById('pause').classList.contains('primary')");
        Assert.True(await ann.Page.IsDisabledAsync("#play"));
        Assert.True(await ann.Page.IsEnabledAsync("#pause"));

        // The guest sees playback controls disabled, each saying why, and no host panel.
        foreach (var id in new[] { "#play", "#pause", "#skip" })
        {
            Assert.True(await bob.Page.IsDisabledAsync(id), $"{id} is enabled for a guest");
            Assert.StartsWith("Only the host can", await bob.Page.GetAttributeAsync(id, "title") ?? string.Empty, StringComparison.Ordinal);
        }

        Assert.True(await bob.Page.IsHiddenAsync("#host-panel"));
        Assert.Equal("guest", await bob.EvalAsync<string>("() => document.body.dataset.role"));

        // The room still refuses a guest who goes around the page, and logs it as information, not as a failure.
        var refused = await bob.EvalAsync<string>("c => moodgrains.refusal('Pause', c)", code);
        Assert.Contains("NotHost", refused, StringComparison.Ordinal);
        Assert.Equal("Playing", await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.state"));
        await WaitForOutputAsync("refused Pause: NotHost");
        // A stack trace of a refusal names its exception type; an information line names only the code.
        var log = fixture.Silo.Output;
        var lines = log.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].StartsWith("warn:", StringComparison.Ordinal))
            {
                output.WriteLine(string.Join('\n', lines.Skip(i).Take(3)));
            }
        }

        Assert.DoesNotContain("RoomException", log, StringComparison.Ordinal);
        Assert.DoesNotContain("HubException", log, StringComparison.Ordinal);

        // A locked queue: the guest's Add buttons are disabled with the reason, and nothing reaches the room.
        var results = await SearchAsync(bob, "Queen");
        await ann.Page.CheckAsync("#queue-locked");
        await bob.WaitForAsync("() => [...document.querySelectorAll('#search-results button.add-track')].every(b => b.disabled && b.title.startsWith('Only the host'))");
        await ann.Page.UncheckAsync("#queue-locked");
        await bob.WaitForAsync("() => [...document.querySelectorAll('#search-results button.add-track')].every(b => !b.disabled)");
        Assert.True(await results.CountAsync() > 0);

        // Guest control granted: the guest's Pause works like the host's.
        await ann.Page.CheckAsync("#guest-controls");
        await bob.WaitForAsync("() => !document.getElementById('pause').disabled");
        await bob.Page.ClickAsync("#pause");
        await party.AllAsync("() => moodgrains.room.nowPlaying.state === 'Paused'");
        await ann.Page.UncheckAsync("#guest-controls");
        await bob.WaitForAsync("() => document.getElementById('play').disabled");
        Assert.True(await bob.Page.IsHiddenAsync("#error"), "no refusal was shown to the guest: " + await bob.Page.InnerTextAsync("#error"));

        // For the pictures, a room as people use it: both have said how they feel, Bob likes the track and votes to skip.
        await ann.Page.ClickAsync("#play");
        await ann.Page.SelectOptionAsync("#manual-mood", "Happy");
        await bob.Page.SelectOptionAsync("#manual-mood", "Happy");
        await bob.Page.ClickAsync("#like");
        await bob.Page.ClickAsync("#vote-skip");
        await party.AllAsync(
            "() => moodgrains.room.nowPlaying?.state === 'Playing' && moodgrains.room.mood.members.length === 2 && " +
            "document.getElementById('skip-votes').textContent === '(1 of 2 votes)' && document.getElementById('room-mood').textContent.startsWith('Room feels')");
        Assert.Equal("true", await bob.Page.GetAttributeAsync("#like", "aria-pressed"));
        Assert.Equal("false", await ann.Page.GetAttributeAsync("#like", "aria-pressed"));
        await SaveDocsImageAsync(ann, "host");
        await SaveDocsImageAsync(bob, "guest");
    }

    [Fact]
    public async Task A_solo_session_shows_no_room_controls_and_an_empty_search_says_so()
    {
        await using var party = new Party("solo", await OpenAsync(Desktop, "Sol"));
        var sol = party.Host;
        await sol.Page.ClickAsync("#start-solo");
        await sol.WaitForAsync("() => moodgrains.room?.isSolo === true");

        foreach (var id in new[] { "#vote-skip", "#queue-locked", "#guest-controls", "#copy-invite", "#show-qr" })
        {
            Assert.True(await sol.Page.IsHiddenAsync(id), $"{id} is shown in a solo session");
        }

        Assert.Equal(0, await sol.Page.Locator("#members .badge.host").CountAsync());
        Assert.Equal("Controls", await sol.Page.TextContentAsync("#host-panel-title"));
        Assert.Equal("The music matches your mood.", await sol.Page.InnerTextAsync("#room-policy"));
        await sol.Page.SelectOptionAsync("#manual-mood", "Happy");
        await sol.WaitForAsync("() => document.getElementById('room-mood').textContent.startsWith('You feel happy')");
        Assert.DoesNotContain("Room", await sol.Page.InnerTextAsync("#room-mood"), StringComparison.Ordinal);

        // A search that matches nothing says so, instead of showing nothing.
        await sol.Page.FillAsync("#search", "zzqx no such song qqzz");
        await sol.Page.ClickAsync("#search-form button");
        await Assertions.Expect(sol.Page.Locator("#search-results .no-results")).ToBeVisibleAsync(Visible);
        Assert.StartsWith("No results", await sol.Page.InnerTextAsync("#search-results"), StringComparison.Ordinal);
        await SearchAsync(sol, "Queen");
        Assert.Equal(0, await sol.Page.Locator("#search-results .no-results").CountAsync());

        await sol.WaitForAsync($"() => ({QueueIds})().length > 0");
        await SaveDocsImageAsync(sol, "solo");
    }

    [Fact]
    public async Task An_invitation_link_joins_in_one_step_after_a_name()
    {
        await using var party = new Party("invite", await OpenAsync(Desktop, "Ann", "Bob", "Cy"));
        var (ann, bob, cy) = (party.Host, party.People[1], party.People[2]);
        await ann.Page.ClickAsync("#create-room");
        await ann.WaitForAsync("() => !!moodgrains.roomCode");
        var code = await ann.EvalAsync<string>("() => moodgrains.roomCode");

        // The host copies the link (the clipboard, or the link shown to copy by hand) and shows its QR code.
        await ann.Page.ClickAsync("#copy-invite");
        await ann.WaitForAsync("() => !!moodgrains.lastInvite");
        var link = await ann.EvalAsync<string>("() => moodgrains.lastInvite");
        Assert.Equal(new Uri(fixture.Silo.BaseAddress, "/?room=" + code), new Uri(link));
        await ann.Page.ClickAsync("#show-qr");
        await ann.WaitForAsync("() => { const img = document.getElementById('invite-qr'); return !img.hidden && img.complete && img.naturalWidth > 50; }");

        // Only members get the QR code.
        const string FetchQr = "c => fetch(`api/rooms/${c}/invite.svg`, { headers: { Authorization: " +
            "`Bearer ${JSON.parse(localStorage.getItem('moodgrains.session')).token}` } }).then(r => r.status)";
        Assert.Equal(200, await ann.EvalAsync<int>(FetchQr, code));
        Assert.Equal(403, await bob.EvalAsync<int>(FetchQr, code));

        // Bob has used the page before, so his name is remembered: the link asks for nothing else, and Enter joins.
        await bob.EvalAsync<object?>("() => localStorage.setItem('moodgrains.name', 'Bob')");
        await bob.Page.GotoAsync(link);
        await bob.Page.WaitForSelectorAsync("body[data-ready='true']");
        Assert.True(await bob.Page.IsVisibleAsync("#invite"));
        Assert.True(await bob.Page.IsHiddenAsync("#start"));
        Assert.Equal($"Join room {code}", await bob.Page.InnerTextAsync("#invite-join"));
        Assert.Equal("Bob", await bob.Page.InputValueAsync("#invite-name"));
        await bob.Page.PressAsync("#invite-name", "Enter");
        await bob.WaitForAsync("c => moodgrains.roomCode === c && moodgrains.room.members.some(m => m.displayName === 'Bob')", code);

        // Cy is new: one name, one click.
        await cy.Page.GotoAsync(link);
        await cy.Page.WaitForSelectorAsync("body[data-ready='true']");
        await cy.Page.FillAsync("#invite-name", "Cy");
        await cy.Page.ClickAsync("#invite-join");
        await party.AllAsync("() => moodgrains.room?.members.length === 3");

        // A stale link says so in plain words (no internal code) and leaves the code ready to correct.
        await using var late = await Person.OpenInAsync(fixture.Browser, fixture.Silo.BaseAddress, "Dee", Desktop);
        var stale = code == "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ";
        await late.Page.GotoAsync("/?room=" + stale);
        await late.Page.WaitForSelectorAsync("body[data-ready='true']");
        await late.Page.FillAsync("#invite-name", "Dee");
        await late.Page.ClickAsync("#invite-join");
        await late.Page.WaitForSelectorAsync("#error:not([hidden])");
        Assert.Equal("RoomNotFound", await late.Page.GetAttributeAsync("#error", "data-code"));
        var message = await late.Page.InnerTextAsync("#error");
        Assert.DoesNotContain("RoomNotFound", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.True(await late.Page.IsVisibleAsync("#start"));
        Assert.Equal(stale, await late.Page.InputValueAsync("#join-code"));
    }

    [Fact]
    public async Task On_a_phone_now_playing_and_up_next_come_first()
    {
        await using var party = new Party("phone-first", await OpenAsync(Phone, "Ann", "Bob"));
        await GatherAsync(party);
        var ann = party.Host;
        await ann.Page.ClickAsync("#play");
        await party.AllAsync($"() => moodgrains.room.nowPlaying?.state === 'Playing' && ({QueueIds})().length > 0");

        foreach (var person in party.People)
        {
            // Scrolled to the top, as a page opens.
            await person.EvalAsync<object?>("() => window.scrollTo(0, 0)");
            var title = await BoxAsync(person, "#np-title");
            var next = await BoxAsync(person, "#queue li");
            var camera = await BoxAsync(person, ".camera-card");
            Assert.True(title.Y < 844, $"now playing starts at {title.Y:F0} px on {person.Name}'s 844 px screen");
            Assert.True(next.Y < 844, $"up next starts at {next.Y:F0} px on {person.Name}'s 844 px screen");
            Assert.True(camera.Y > next.Y, "the camera comes after up next");
            Assert.True(await person.Page.IsHiddenAsync("#preview"), "the empty camera box is collapsed while the camera is off");
            await AssertFitsAsync(person);
        }

        await ann.Page.SelectOptionAsync("#manual-mood", "Happy");
        await ann.WaitForAsync("() => document.getElementById('room-mood').textContent.startsWith('Room feels')");
        await ann.EvalAsync<object?>("() => window.scrollTo(0, 0)");
        await SaveDocsImageAsync(ann, "phone", fullPage: false);
    }

    [Fact]
    public async Task Readings_show_their_two_likeliest_feelings_and_say_when_not_sure()
    {
        await using var party = new Party("uncertainty", await OpenAsync(Desktop, "Ann"));
        var ann = party.Host;
        await ann.Page.ClickAsync("#create-room");
        await ann.WaitForAsync("() => !!moodgrains.room");
        var userId = await ann.EvalAsync<string>("() => moodgrains.userId");

        // A hand-picked mood is the member's word: marked as picked, no percentage. The room's line still reads the
        // blend: the likeliest feeling with its percentage, then the next one when it is at least 5 %.
        await ann.Page.SelectOptionAsync("#manual-mood", "Happy");
        var member = ann.Page.Locator($"#members li[data-user-id='{userId}']");
        await ann.WaitForAsync("id => document.querySelector(`#members li[data-user-id=\"${id}\"]`)?.dataset.dominant === 'Happy'", userId);
        Assert.Equal("happy (picked)", await member.Locator(".mood").InnerTextAsync());
        Assert.Matches(@"^Room feels happy \d+%( · [a-z]+ ([5-9]|\d\d)%)? · valence", await ann.Page.InnerTextAsync("#room-mood"));

        // A confident camera reading: the likeliest feeling with its percentage, then the next one.
        const string Confident =
            "async id => { const m = await import(new URL('js/render/members.js', document.baseURI)); " +
            "const li = document.querySelector(`#members li[data-user-id=\"${id}\"]`); " +
            "m.setMemberMood(li, { confidence: 0.9, dominant: 'Happy', scores: { probabilities: [0.05, 0.02, 0.03, 0.80, 0.04, 0.03, 0.03] } }); " +
            "return [li.querySelector('.mood').textContent, li.dataset.sure]; }";
        var confident = await ann.EvalAsync<string[]>(Confident, userId);
        Assert.Matches(@"^happy 80% · [a-z]+ 5%$", confident[0]);
        Assert.Equal("true", confident[1]);

        // A guess (the likeliest under 45 %) is shown as such, in the same place, with both candidates.
        const string Guess =
            "async id => { const m = await import(new URL('js/render/members.js', document.baseURI)); " +
            "const li = document.querySelector(`#members li[data-user-id=\"${id}\"]`); " +
            "m.setMemberMood(li, { confidence: 0.8, dominant: 'Happy', scores: { probabilities: [0.30, 0.05, 0.05, 0.35, 0.10, 0.05, 0.10] } }); " +
            "return [li.querySelector('.mood').textContent, li.dataset.sure]; }";
        var guess = await ann.EvalAsync<string[]>(Guess, userId);
        Assert.Equal(new[] { "not sure (happy 35% · angry 30%)", "false" }, guess);

        // A runner-up under 5 % is noise, not a second candidate: the likeliest feeling stands alone.
        const string Clear =
            "async id => { const m = await import(new URL('js/render/members.js', document.baseURI)); " +
            "const li = document.querySelector(`#members li[data-user-id=\"${id}\"]`); " +
            "m.setMemberMood(li, { confidence: 0.9, dominant: 'Sad', scores: { probabilities: [0.01, 0.01, 0.01, 0.01, 0.94, 0.01, 0.01] } }); " +
            "return li.querySelector('.mood').textContent; }";
        Assert.Equal("sad 94%", await ann.EvalAsync<string>(Clear, userId));
    }

    [Fact]
    public async Task The_mood_chart_keeps_its_last_line_and_shows_the_same_history_after_a_reload()
    {
        await using var party = new Party("chart", await OpenAsync(Desktop, "Ann", "Bob"));
        await GatherAsync(party);
        var (ann, bob) = (party.Host, party.People[1]);
        var (annId, bobId) = (await ann.EvalAsync<string>("() => moodgrains.userId"), await bob.EvalAsync<string>("() => moodgrains.userId"));

        // Readings more than the room's sampling interval (2 s) apart: samples on the room's timeline, each member with a line.
        await ann.Page.SelectOptionAsync("#manual-mood", "Happy");
        await ann.WaitForAsync("() => moodgrains.chartAt(Date.now()).samples >= 1");
        await ann.Page.WaitForTimeoutAsync(2500);
        await bob.Page.SelectOptionAsync("#manual-mood", "Sad");
        await ann.WaitForAsync("id => moodgrains.chartAt(Date.now()).samples >= 2 && (moodgrains.chartAt(Date.now()).members[id] ?? 0) >= 1", bobId);
        await ann.Page.WaitForTimeoutAsync(2500);
        await ann.Page.SelectOptionAsync("#manual-mood", "Angry");
        await ann.WaitForAsync("() => moodgrains.room.timeline.length >= 3 && moodgrains.chartAt(Date.now()).samples >= 3");

        // No new readings for four minutes (cameras off): the line holds its last value instead of leaving a blank chart.
        Assert.True(await ann.EvalAsync<bool>("() => moodgrains.chartAt(Date.now() + 4 * 60_000).visible"));

        // After a reload the chart has the same history, served from the room's timeline: every sample the room kept
        // is drawn again (the room's line and both members' lines), not only what arrives after the reload.
        var before = await ann.EvalAsync<double[]>("() => moodgrains.room.timeline.map(s => Date.parse(s.at))");
        await ann.Page.ReloadAsync();
        await ann.Page.WaitForSelectorAsync("body[data-ready='true']");
        await ann.WaitForAsync("() => !!moodgrains.room");
        var after = await ann.EvalAsync<double[]>("() => moodgrains.chartAt(Date.now()).times");
        output.WriteLine($"chart before the reload: {before.Length} points, after: {after.Length}");
        Assert.True(after.Length >= 3, $"the chart has {after.Length} points after the reload");
        Assert.Subset(after.ToHashSet(), before.ToHashSet());
        Assert.True(await ann.EvalAsync<bool>("() => moodgrains.chartAt(Date.now()).visible"));
        var lines = await ann.EvalAsync<Dictionary<string, int>>("() => moodgrains.chartAt(Date.now()).members");
        Assert.True(lines.GetValueOrDefault(annId) >= 2, $"Ann's line has {lines.GetValueOrDefault(annId)} points after the reload");
        Assert.True(lines.GetValueOrDefault(bobId) >= 1, $"Bob's line has {lines.GetValueOrDefault(bobId)} points after the reload");

        // The camera is off after a reload, and the page says why and what to press.
        Assert.Equal("Camera off after the reload — press “Turn camera on” to share your mood again.", await ann.Page.InnerTextAsync("#camera-status"));
        Assert.Equal("Turn camera on", await ann.Page.InnerTextAsync("#camera-toggle"));
    }

    private async Task WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!fixture.Silo.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The server never logged \"{text}\".");
            await Task.Delay(200);
        }
    }

    private static async Task<bool> IsPrimaryAsync(Person person, string selector) =>
        await person.EvalAsync<bool>("s => document.querySelector(s).classList.contains('primary')", selector);

    private static async Task<LocatorBoundingBoxResult> BoxAsync(Person person, string selector) =>
        await person.Page.Locator(selector).First.BoundingBoxAsync() ?? throw new InvalidOperationException($"{selector} has no box.");

    private static async Task SaveDocsImageAsync(Person person, string name, bool fullPage = true)
    {
        await person.ScreenshotAsync(Artifacts, "view-" + name);
        if (!string.IsNullOrEmpty(DocsImages))
        {
            var folder = Path.IsPathRooted(DocsImages) ? DocsImages : Path.Combine(RepositoryRoot.Path, DocsImages);
            Directory.CreateDirectory(folder);
            await person.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = fullPage });
        }
    }
}
