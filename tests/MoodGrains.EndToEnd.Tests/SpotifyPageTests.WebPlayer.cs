using System.Text.Json;
using Microsoft.Playwright;
using MoodGrains.Hosting.Local;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// "Play here (Spotify)": the page loads Spotify's Web Playback SDK, which becomes a Connect device, and the room plays
/// on it through the ordinary follow path. Spotify's script is out of reach, so the browser is served a stand-in at
/// the SDK's own URL: a Spotify.Player with the SDK's interface that, on connect, registers a device in the Spotify
/// fake with the token the page gave it (what Spotify's servers do for the real one).
/// </summary>
public sealed partial class SpotifyPageTests
{
    public const string SdkUrl = "https://sdk.scdn.co/spotify-player.js";
    // The stand-in talks to a Spotify API host, as the real SDK does: the page's CSP admits those for connections.
    private const string FakeSdkHost = "https://api.spotify.com/moodgrains-test/";

    /// <summary>The stand-in for spotify-player.js: the parts of the SDK's Spotify.Player the page uses, and a few more.</summary>
    public const string FakeSdkScript = """
        (() => {
          const base = 'https://api.spotify.com/moodgrains-test/';
          class Player {
            constructor(options) { this._options = options; this._listeners = {}; this._volume = options.volume ?? 1; window.fakeSpotifyPlayer = this; }
            addListener(event, callback) { (this._listeners[event] ??= []).push(callback); return true; }
            on(event, callback) { return this.addListener(event, callback); }
            removeListener(event, callback) {
              this._listeners[event] = callback ? (this._listeners[event] ?? []).filter(c => c !== callback) : [];
              return true;
            }
            _emit(event, payload) { for (const callback of this._listeners[event] ?? []) callback(payload); }
            connect() {
              return new Promise(resolve => this._options.getOAuthToken(async token => {
                const response = await fetch(base + 'connect', { method: 'POST', body: JSON.stringify({ token, name: this._options.name }) });
                if (!response.ok) { this._emit('authentication_error', { message: 'Invalid token scopes.' }); resolve(false); return; }
                this._deviceId = (await response.json()).device_id;
                resolve(true);
                setTimeout(() => this._emit('ready', { device_id: this._deviceId }), 50);
              }));
            }
            disconnect() {
              if (!this._deviceId) return;
              const id = this._deviceId;
              this._deviceId = null;
              fetch(base + 'disconnect', { method: 'POST', body: JSON.stringify({ device_id: id }) });
              this._emit('not_ready', { device_id: id });
            }
            activateElement() { this.activated = true; return Promise.resolve(); }
            getCurrentState() { return Promise.resolve(null); }
            getVolume() { return Promise.resolve(this._volume); }
            setVolume(volume) { this._volume = volume; return Promise.resolve(); }
            setName(name) { this._options.name = name; return Promise.resolve(); }
            pause() { this.pauses = (this.pauses ?? 0) + 1; return Promise.resolve(); }
            resume() { return Promise.resolve(); }
            togglePlay() { return Promise.resolve(); }
            seek() { return Promise.resolve(); }
            previousTrack() { return Promise.resolve(); }
            nextTrack() { return Promise.resolve(); }
          }
          window.Spotify = { Player };
          window.onSpotifyWebPlaybackSDKReady?.();
        })();
        """;

    [Fact]
    public async Task A_premium_member_plays_the_room_in_the_page_through_spotifys_web_player()
    {
        await using var dee = await Person.OpenInAsync(fixture.Browser, fixture.Silo.BaseAddress, "Dee", Desktop);
        var sdkLoads = 0;
        var tokens = new List<string>();
        await dee.Page.Context.RouteAsync(SdkUrl, async route =>
        {
            Interlocked.Increment(ref sdkLoads);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/javascript", Body = FakeSdkScript });
        });
        await dee.Page.Context.RouteAsync(url => url.StartsWith(FakeSdkHost, StringComparison.Ordinal), async route =>
        {
            using var body = JsonDocument.Parse(route.Request.PostData ?? "{}");
            var answer = "{}";
            if (route.Request.Url.EndsWith("/connect", StringComparison.Ordinal))
            {
                var token = body.RootElement.GetProperty("token").GetString()!;
                lock (tokens)
                {
                    tokens.Add(token);
                }

                answer = JsonSerializer.Serialize(new { device_id = fixture.Spotify.RegisterWebPlayer(token, body.RootElement.GetProperty("name").GetString()!) });
            }
            else
            {
                fixture.Spotify.UnregisterWebPlayer(body.RootElement.GetProperty("device_id").GetString()!);
            }

            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 200, ContentType = "application/json", Body = answer, Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*" },
            });
        });

        try
        {
            await PlayInThePageAsync(dee, () => Volatile.Read(ref sdkLoads), () => { lock (tokens) { return tokens.ToArray(); } });
        }
        finally
        {
            try
            {
                await dee.ScreenshotAsync(Artifacts, "spotify-web-player-dee");
            }
            catch (PlaywrightException)
            {
                // A page that already failed must not hide the test's own failure.
            }
        }
    }

    private async Task PlayInThePageAsync(Person dee, Func<int> sdkLoads, Func<string[]> tokens)
    {
        const string OptionOffered = "() => !document.getElementById('audio-mode-webplayer').hidden";
        await dee.Page.ClickAsync("#create-room");
        await dee.WaitForAsync("() => !!moodgrains.roomCode");
        var code = await dee.EvalAsync<string>("() => moodgrains.roomCode");
        await Assertions.Expect(dee.Page.Locator("#spotify-status")).ToHaveTextAsync("Not connected.", new() { Timeout = 60_000 });
        Assert.False(await dee.EvalAsync<bool>(OptionOffered), "Without a linked Premium account the page offers no Spotify player.");

        // Linked with Premium: the option appears, and still nothing comes from Spotify until she picks it.
        await LinkThroughConnectButtonAsync(dee, "premium-dee", code);
        await dee.WaitForAsync(OptionOffered);
        Assert.Equal(0, sdkLoads());

        // She picks it: the SDK is fetched from Spotify's URL, its player connects with her own token, and the room
        // follows on the device it became.
        await dee.Page.SelectOptionAsync("#audio-mode", "webplayer");
        var userId = await dee.EvalAsync<string>("() => moodgrains.userId");
        await dee.WaitForAsync("id => moodgrains.room.spotifyListeners.includes(id)", userId);
        var device = Assert.Single(fixture.Spotify.WebPlayers);
        Assert.Equal(("premium-dee", "MoodGrains (this page)"), (device.Account, device.Name));
        Assert.Equal(["premium-dee"], tokens());
        Assert.Equal(1, sdkLoads());
        Assert.Equal(1, await dee.Page.Locator($"script[src='{SdkUrl}']").CountAsync());

        // Play: Spotify is told to play the room's track on the page's device, near its start; the page's own audio
        // element stays silent, since the room now reaches her through Spotify.
        await dee.Page.ClickAsync("#play");
        await dee.WaitForAsync("() => moodgrains.room.nowPlaying?.state === 'Playing'");
        var title = await dee.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.track.title");
        var artist = await dee.EvalAsync<string>("() => moodgrains.room.nowPlaying.entry.track.artists[0]");
        var play = await NextCallOfAsync("premium-dee");
        Assert.Equal(new PlayerCall("premium-dee", "play", device.DeviceId, "spotify:track:" + FakeSpotify.TrackIdFor(title, artist), play.PositionMs), play);
        Assert.InRange(play.PositionMs!.Value, 0, 15_000);
        await Assertions.Expect(dee.Page.Locator("#spotify-playback")).ToHaveTextAsync($"Playing \"{title}\" on your Spotify.", new() { Timeout = 60_000 });
        Assert.True(await dee.EvalAsync<bool>("() => moodgrains.audio.paused && !moodgrains.audio.src"), "the page's own audio must stay silent");

        // Back to "here": the room stops following on the page's device, which is paused, and the page's audio takes over.
        await dee.Page.SelectOptionAsync("#audio-mode", "here");
        var pause = await NextCallOfAsync("premium-dee");
        Assert.Equal(new PlayerCall("premium-dee", "pause", device.DeviceId, string.Empty, null), pause);
        await dee.WaitForAsync("() => moodgrains.room.spotifyListeners.length === 0");
        Assert.Equal(1, await dee.EvalAsync<int>("() => window.fakeSpotifyPlayer.pauses"));

        // And picking it again follows on the same, still connected device without loading or connecting anything again.
        await dee.Page.SelectOptionAsync("#audio-mode", "webplayer");
        var again = await NextCallOfAsync("premium-dee");
        Assert.Equal(("play", device.DeviceId), (again.Command, again.DeviceId));
        Assert.Equal(1, sdkLoads());
        Assert.Single(tokens());
    }

    /// <summary>The next player command for <paramref name="account"/>, passing over any other test's leftovers.</summary>
    private async Task<PlayerCall> NextCallOfAsync(string account)
    {
        while (true)
        {
            var call = await fixture.Spotify.NextCallAsync();
            if (call.Account == account)
            {
                return call;
            }
        }
    }
}
