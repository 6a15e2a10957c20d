using System.Web;
using Microsoft.Playwright;
using MoodGrains.Hosting.Local;
using Xunit.Abstractions;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// The Spotify card clicked in real pages: a member links their account through the page's own Connect button, picks
/// a device and plays the room on it, and the Spotify fake sees exactly the player commands that should reach it;
/// members who cannot follow (no account, no Premium) are not offered the control and are refused if they force it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class SpotifyPageTests(SpotifyPageFixture fixture, ITestOutputHelper output) : IClassFixture<SpotifyPageFixture>
{
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToBeHiddenOptions Hidden = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions Eventually = new() { Timeout = 60_000 };

    private static string Artifacts => Path.Combine(RepositoryRoot.Path, "TestResults", "e2e");

    [Fact]
    public async Task A_premium_member_plays_the_room_on_their_device_and_others_cannot()
    {
        var people = new List<Person>();
        try
        {
            foreach (var name in new[] { "Ann", "Bob", "Cy" })
            {
                people.Add(await Person.OpenInAsync(fixture.Browser, fixture.Silo.BaseAddress, name, Desktop));
            }

            await PlayOnSpotifyAsync(people[0], people[1], people[2]);
        }
        finally
        {
            for (var i = 0; i < people.Count; i++)
            {
                try
                {
                    await people[i].ScreenshotAsync(Artifacts, $"spotify-{people[i].Name.ToLowerInvariant()}");
                }
                catch (PlaywrightException)
                {
                    // A page that already failed must not hide the test's own failure.
                }

                await people[i].DisposeAsync();
            }
        }
    }

    private async Task PlayOnSpotifyAsync(Person ann, Person bob, Person cy)
    {
        // Ann opens a room, then links Spotify from its card; the page comes back to the same room, connected.
        await ann.Page.ClickAsync("#create-room");
        await ann.WaitForAsync("() => !!moodgrains.roomCode");
        var code = await ann.EvalAsync<string>("() => moodgrains.roomCode");
        output.WriteLine($"Room {code}");
        await Assertions.Expect(ann.Page.Locator("#spotify-status")).ToHaveTextAsync("Not connected.", new() { Timeout = 60_000 });
        Assert.True(await ann.Page.Locator("#spotify-follow").IsHiddenAsync(), "The follow row needs a linked account.");
        await LinkThroughConnectButtonAsync(ann, "premium-ann", code);
        await Assertions.Expect(ann.Page.Locator("#spotify-status")).ToHaveTextAsync("Connected as premium-ann", new() { Timeout = 60_000 });
        await Assertions.Expect(ann.Page.Locator("#spotify-connect")).ToBeHiddenAsync(Hidden);

        // Bob joins unlinked; Cy joins and links a free account.
        foreach (var guest in new[] { bob, cy })
        {
            await guest.Page.FillAsync("#join-code", code);
            await guest.Page.ClickAsync("#join-room");
            await guest.WaitForAsync("c => moodgrains.roomCode === c", code);
        }

        // Bob opens Spotify's consent screen and cancels: he is back in the room, told so, and still unlinked.
        await DeclineThroughConnectButtonAsync(bob, code);
        await Assertions.Expect(bob.Page.Locator("#spotify-status")).ToHaveTextAsync("Not connected.", new() { Timeout = 60_000 });
        await LinkThroughConnectButtonAsync(cy, "free-cy", code);
        await Task.WhenAll(new[] { ann, bob, cy }.Select(p => p.WaitForAsync("() => moodgrains.room?.members.length === 3")));

        // Ann's device list comes from her Spotify; she picks the kitchen speaker and follows the room.
        var follow = ann.Page.Locator("#spotify-follow");
        await Assertions.Expect(follow).ToBeVisibleAsync(Visible);
        await Assertions.Expect(ann.Page.Locator("#spotify-device option[value='kitchen-speaker']")).ToHaveTextAsync("Kitchen (Speaker)", new() { Timeout = 60_000 });
        await ann.Page.SelectOptionAsync("#spotify-device", "kitchen-speaker");
        await ann.Page.CheckAsync("#spotify-listen");
        var annId = await ann.EvalAsync<string>("() => moodgrains.userId");
        await Task.WhenAll(new[] { ann, bob, cy }.Select(p => p.WaitForAsync(
            "id => JSON.stringify(moodgrains.room.spotifyListeners) === JSON.stringify([id])", annId)));

        // Play: the fake is told to play the room's track on Ann's kitchen speaker, near its start; her page says so.
        await ann.Page.ClickAsync("#play");
        await ann.WaitForAsync("() => moodgrains.room.nowPlaying?.state === 'Playing'");
        var title = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.track.title");
        var artist = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.track.artists[0]");
        var play = await fixture.Spotify.NextCallAsync();
        Assert.Equal(new PlayerCall("premium-ann", "play", "kitchen-speaker", "spotify:track:" + FakeSpotify.TrackIdFor(title, artist), play.PositionMs), play);
        Assert.InRange(play.PositionMs!.Value, 0, 15_000);
        await Assertions.Expect(ann.Page.Locator("#spotify-playback")).ToHaveTextAsync($"Playing \"{title}\" on your Spotify.", new() { Timeout = 60_000 });
        Assert.False(await ann.Page.Locator("#spotify-playback").EvaluateAsync<bool>("e => e.classList.contains('error')"));

        // The notice is Ann's alone; Bob is offered the login instead of the follow row, Cy is told Premium is needed.
        Assert.Equal(string.Empty, await bob.Page.InnerTextAsync("#spotify-playback"));
        await Assertions.Expect(bob.Page.Locator("#spotify-status")).ToHaveTextAsync("Not connected.", new() { Timeout = 60_000 });
        await Assertions.Expect(bob.Page.Locator("#spotify-connect")).ToBeVisibleAsync(Visible);
        Assert.True(await bob.Page.Locator("#spotify-follow").IsHiddenAsync(), "An unlinked member must not be offered the follow row.");
        await Assertions.Expect(cy.Page.Locator("#spotify-status")).ToContainTextAsync("Premium", Eventually);
        Assert.True(await cy.Page.Locator("#spotify-follow").IsHiddenAsync(), "A free account cannot start playback, so no follow row.");

        // Forcing the hidden control open still gets a clear refusal from the server, and the box unticks itself.
        await ExpectFollowRefusedAsync(bob, "Connect your Spotify account first.");
        await ExpectFollowRefusedAsync(cy, "Premium");
        Assert.Equal([annId], await ann.EvalAsync<string[]>("() => moodgrains.room.spotifyListeners"));
        Assert.DoesNotContain(fixture.Spotify.Drain(), c => c.Account != "premium-ann");

        // The host skips: the speaker is handed the next track from its start.
        await ann.Page.ClickAsync("#skip");
        await ann.WaitForAsync("t => moodgrains.room.nowPlaying?.entry.track.title !== t", title);
        var nextTitle = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.track.title");
        var nextArtist = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.track.artists[0]");
        var next = await fixture.Spotify.NextCallAsync();
        Assert.Equal(new PlayerCall("premium-ann", "play", "kitchen-speaker", "spotify:track:" + FakeSpotify.TrackIdFor(nextTitle, nextArtist), next.PositionMs), next);
        Assert.InRange(next.PositionMs!.Value, 0, 15_000);
        await Assertions.Expect(ann.Page.Locator("#spotify-playback")).ToHaveTextAsync($"Playing \"{nextTitle}\" on your Spotify.", new() { Timeout = 60_000 });

        // Ann closes her Spotify app and the host skips again: her page says her device is gone, and the room plays on.
        fixture.Spotify.SwitchOff("premium-ann");
        await ann.Page.ClickAsync("#skip");
        await Task.WhenAll(new[] { ann, bob, cy }.Select(p => p.WaitForAsync(
            "t => moodgrains.room.nowPlaying?.state === 'Playing' && moodgrains.room.nowPlaying.entry.track.title !== t", nextTitle)));
        await Assertions.Expect(ann.Page.Locator("#spotify-playback")).ToContainTextAsync("device", new() { Timeout = 60_000, IgnoreCase = true });
        Assert.True(await ann.Page.Locator("#spotify-playback").EvaluateAsync<bool>("e => e.classList.contains('error')"));
        Assert.Equal(string.Empty, await bob.Page.InnerTextAsync("#spotify-playback"));
        Assert.Empty(fixture.Spotify.Drain());

        // She opens it again (playing her own music now) and unticks: the room never started anything there, so her
        // music is not paused; ticking again starts the room's current track (the next call is that play, no pause).
        fixture.Spotify.Restore("premium-ann");
        var thirdTitle = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.track.title");
        var thirdArtist = await ann.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.track.artists[0]");
        var third = "spotify:track:" + FakeSpotify.TrackIdFor(thirdTitle, thirdArtist);
        await ann.Page.UncheckAsync("#spotify-listen");
        await Assertions.Expect(ann.Page.Locator("#spotify-playback")).ToHaveTextAsync("The room no longer plays on your Spotify.", new() { Timeout = 60_000 });
        await ann.WaitForAsync("() => moodgrains.room.spotifyListeners.length === 0");
        await ann.Page.CheckAsync("#spotify-listen");
        var rejoined = await fixture.Spotify.NextCallAsync();
        Assert.Equal(new PlayerCall("premium-ann", "play", "kitchen-speaker", third, rejoined.PositionMs), rejoined);
        await Assertions.Expect(ann.Page.Locator("#spotify-playback")).ToHaveTextAsync($"Playing \"{thirdTitle}\" on your Spotify.", new() { Timeout = 60_000 });

        // Picking the same speaker again is a new ask: the room's track is started on it once more (a manual re-sync).
        await ann.Page.SelectOptionAsync("#spotify-device", "kitchen-speaker");
        var resynced = await fixture.Spotify.NextCallAsync();
        Assert.Equal(new PlayerCall("premium-ann", "play", "kitchen-speaker", third, resynced.PositionMs), resynced);

        // Untick: Ann's speaker is paused, her page says so, and no one follows any more.
        await ann.Page.UncheckAsync("#spotify-listen");
        var pause = await fixture.Spotify.NextCallAsync();
        Assert.Equal(new PlayerCall("premium-ann", "pause", "kitchen-speaker", string.Empty, null), pause);
        await Assertions.Expect(ann.Page.Locator("#spotify-playback")).ToHaveTextAsync("Paused on your Spotify.", new() { Timeout = 60_000 });
        await Task.WhenAll(new[] { ann, bob, cy }.Select(p => p.WaitForAsync("() => moodgrains.room.spotifyListeners.length === 0")));
    }

    /// <summary>
    /// Clicks the page's Connect button and plays Spotify's consent screen: answers the authorize request as Spotify
    /// does after the user agrees, by sending the browser to the redirect URI with a login code that names the account.
    /// </summary>
    private async Task LinkThroughConnectButtonAsync(Person person, string account, string roomCode)
    {
        var asked = await AnswerConsentAsync(person, roomCode, "code=" + Uri.EscapeDataString(account));
        Assert.Contains("client_id=fake-client", asked, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", asked, StringComparison.Ordinal);
        Assert.Equal("Spotify connected.", await person.Page.InnerTextAsync("#notice"));
        Assert.True(await person.Page.IsHiddenAsync("#error"), "a successful login is not shown as an error");
    }

    /// <summary>The same round trip when the user presses Cancel on Spotify's consent screen.</summary>
    private async Task DeclineThroughConnectButtonAsync(Person person, string roomCode)
    {
        await AnswerConsentAsync(person, roomCode, "error=access_denied");
        Assert.Equal("You declined the Spotify login.", await person.Page.InnerTextAsync("#error"));
        Assert.True(await person.Page.IsHiddenAsync("#notice"));
    }

    /// <summary>Clicks Connect, answers Spotify's authorize request with <paramref name="answer"/>, and waits for the room page.</summary>
    private async Task<string> AnswerConsentAsync(Person person, string roomCode, string answer)
    {
        var authorize = new Uri(fixture.Spotify.BaseUrl, "authorize").ToString();
        string? asked = null;
        await person.Page.RouteAsync(url => url.StartsWith(authorize, StringComparison.Ordinal), async route =>
        {
            asked = route.Request.Url;
            var query = HttpUtility.ParseQueryString(new Uri(asked).Query);
            var back = $"{query["redirect_uri"]}?{answer}&state={Uri.EscapeDataString(query["state"] ?? string.Empty)}";
            await route.FulfillAsync(new RouteFulfillOptions { Status = 302, Headers = new Dictionary<string, string> { ["Location"] = back } });
        });

        await Assertions.Expect(person.Page.Locator("#spotify-connect")).ToBeVisibleAsync(Visible);
        // The page already shows ?room=CODE before the click, so its URL cannot tell the old document from the new one:
        // mark the old document and wait for a ready page without the mark (the script may not have run yet, hence typeof).
        await person.Page.EvaluateAsync("() => { window.beforeSpotifyLogin = true; }");
        await person.Page.ClickAsync("#spotify-connect");
        await person.WaitForAsync(
            "c => !window.beforeSpotifyLogin && document.body?.dataset.ready === 'true' && typeof moodgrains !== 'undefined' && moodgrains.roomCode === c",
            roomCode);
        await person.Page.UnrouteAllAsync();
        Assert.NotNull(asked);
        return asked;
    }

    private static async Task ExpectFollowRefusedAsync(Person person, string reason)
    {
        await person.Page.EvaluateAsync(
            "() => { const box = document.getElementById('error'); box.hidden = true; box.textContent = ''; document.getElementById('spotify-follow').hidden = false; }");
        // A click, not a check: the page unticks the box itself once the server refuses.
        await person.Page.ClickAsync("#spotify-listen");
        await person.Page.WaitForSelectorAsync("#error:not([hidden])");
        Assert.Equal("SpotifyUnavailable", await person.Page.GetAttributeAsync("#error", "data-code"));
        Assert.Contains(reason, await person.Page.InnerTextAsync("#error"), StringComparison.Ordinal);
        await person.WaitForAsync("() => !document.getElementById('spotify-listen').checked");
    }
}
