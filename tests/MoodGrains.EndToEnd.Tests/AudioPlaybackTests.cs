using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using MoodGrains.Audio.Demo;
using MoodGrains.Hosting.Local;
using Xunit.Abstractions;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// The room heard in the page: demo-library tracks played by each member's &lt;audio&gt; element, held to the room's
/// server-clock playhead, on a two-silo cluster behind Redis (the host on one silo, the guests on the other).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AudioPlaybackTests(PostgresFixture fixture, DemoLibraryFixture library, ITestOutputHelper output)
    : IClassFixture<DemoLibraryFixture>
{
    /// <summary>Chromium's switch that lets a page start audio without a click, as a member who clicked "Tap to listen" would.</summary>
    private const string AutoplayAllowed = "--autoplay-policy=no-user-gesture-required";

    private const int Rounds = 20;

    /// <summary>One reading on the page at a server instant: [audio ms, playback rate, client ms, room ms, paused 0/1].</summary>
    private const string ReadAt =
        "t => moodgrains.readAudioAt(t).then(r => [r.audioMs, r.rate, r.clientNow, r.roomMs, r.paused ? 1 : 0])";

    /// <summary>Whether the page's audio plays: not paused, and its currentTime moved on over 600 ms of real time.</summary>
    private const string Advancing =
        "async () => { const before = moodgrains.audio.currentTime; await new Promise(r => setTimeout(r, 600)); " +
        "const a = moodgrains.audio; return !a.paused && a.currentTime > before + 0.3; }";

    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };

    private static string Artifacts => Path.Combine(RepositoryRoot.Path, "TestResults", "e2e");

    [Fact]
    public async Task Three_pages_on_two_silos_hear_the_room_in_sync_and_follow_pause_seek_and_skip()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = await fixture.Postgres.CreateDatabaseAsync("e2e_audio");
        await using var siloA = await SiloProcess.StartAsync(database, redis.ConnectionString, clusterId: "e2e-audio", environment: library.Environment);
        await using var siloB = await SiloProcess.StartAsync(database, redis.ConnectionString, clusterId: "e2e-audio", environment: library.Environment);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Person.LaunchSharedBrowserAsync(playwright, AutoplayAllowed);
        await using var ann = await Person.OpenInAsync(browser, siloA.BaseAddress, "Ann", Desktop);
        await using var bob = await Person.OpenInAsync(browser, siloB.BaseAddress, "Bob", Desktop);
        await using var cy = await Person.OpenInAsync(browser, siloB.BaseAddress, "Cy", Desktop);
        Person[] everyone = [ann, bob, cy];
        try
        {
            await GatherAsync(everyone);
            var (first, second) = (library.Tracks[0], library.Tracks[1]);
            await QueueAsync(ann, first, second);

            // Play: every page loads the track's signed URL and its audio actually runs.
            await ann.Page.ClickAsync("#play");
            await AllAsync(everyone, "t => moodgrains.room.nowPlaying?.state === 'Playing' && moodgrains.room.nowPlaying.entry.track.title === t", first.Title);
            Assert.True(await ann.EvalAsync<bool>("() => moodgrains.room.nowPlaying.entry.track.hasAudio === true"));
            await AllPlayingAsync(everyone);
            var firstSources = await Task.WhenAll(everyone.Select(p => p.EvalAsync<string>("() => moodgrains.audio.src")));
            Assert.All(firstSources, src => Assert.Contains("/media/", src, StringComparison.Ordinal));

            // Pause: every page's audio stops where the room stopped and stays there.
            await ann.Page.ClickAsync("#pause");
            await AllAsync(everyone,
                "() => moodgrains.room.nowPlaying.state === 'Paused' && moodgrains.audio.paused && " +
                "Math.abs(moodgrains.audio.currentTime * 1000 - moodgrains.room.nowPlaying.anchorPositionMs) <= 50");
            var held = await Task.WhenAll(everyone.Select(p => p.EvalAsync<double>("() => moodgrains.audio.currentTime")));
            await Task.Delay(700);
            Assert.Equal(held, await Task.WhenAll(everyone.Select(p => p.EvalAsync<double>("() => moodgrains.audio.currentTime"))));

            // Play again, then the host's seek slider: every page's audio jumps to the new place and keeps playing.
            await ann.Page.ClickAsync("#play");
            await AllPlayingAsync(everyone);
            var duration = await ann.EvalAsync<int>("() => moodgrains.room.nowPlaying.entry.track.durationMs");
            var slider = (int)Math.Round(1000.0 * Math.Min(15_000, duration / 3) / duration);
            var seekTo = Math.Min(duration - 1, (int)Math.Round(duration * slider / 1000.0));
            await ann.Page.Locator("#seek").FillAsync(slider.ToString(CultureInfo.InvariantCulture));
            await AllAsync(everyone,
                "at => { const np = moodgrains.room.nowPlaying; return np.state === 'Playing' && np.anchorPositionMs === at && " +
                "!moodgrains.audio.paused && moodgrains.audio.currentTime * 1000 >= at - 100 && " +
                "Math.abs(moodgrains.audio.currentTime * 1000 - moodgrains.roomPositionMs()) < 300; }", seekTo);
            await AllPlayingAsync(everyone);

            var sync = await MeasureAudioSpreadAsync(everyone);
            output.WriteLine(sync.Summary);
            await WriteResultAsync(sync, everyone, first);
            // Loose: the figure is for the docs; timing goals belong in benchmarks, not in a test on a shared machine.
            Assert.True(sync.VersusRoom.Max < 250, $"Audio spread across pages reached {sync.VersusRoom.Max:F1} ms");

            // Skip: every page moves to the next track's audio.
            await ann.Page.ClickAsync("#skip");
            await AllAsync(everyone, "t => moodgrains.room.nowPlaying?.state === 'Playing' && moodgrains.room.nowPlaying.entry.track.title === t", second.Title);
            await AllPlayingAsync(everyone);
            var secondSources = await Task.WhenAll(everyone.Select(p => p.EvalAsync<string>("() => moodgrains.audio.src")));
            Assert.All(secondSources.Zip(firstSources), pair => Assert.NotEqual(pair.Second, pair.First));

            // A reload is a reconnect: the page resumes the room and its audio comes back in place.
            await cy.Page.ReloadAsync();
            await cy.Page.WaitForSelectorAsync("body[data-ready='true']");
            await AllAsync([cy], "t => moodgrains.room?.nowPlaying?.entry.track.title === t", second.Title);
            await AllPlayingAsync([cy]);
            await cy.WaitForAsync("() => Math.abs(moodgrains.audio.currentTime * 1000 - moodgrains.roomPositionMs()) < 300");
        }
        finally
        {
            foreach (var person in everyone)
            {
                await person.ScreenshotAsync(Artifacts, "audio-" + person.Name.ToLowerInvariant());
            }
        }
    }

    [Fact]
    public async Task Tap_to_listen_appears_only_when_the_browser_refuses_to_play_and_starts_the_audio()
    {
        var database = await fixture.Postgres.CreateDatabaseAsync("e2e_audio_tap");
        await using var silo = await SiloProcess.StartAsync(database, clusterId: "e2e-audio-tap", environment: library.Environment);
        using var playwright = await Playwright.CreateAsync();
        // Chromium's own autoplay rule, named explicitly so a headless build's default cannot change what is tested: a
        // document may start audio only after the person interacted with it.
        await using var browser = await Person.LaunchSharedBrowserAsync(playwright, "--autoplay-policy=document-user-activation-required");
        await using var ann = await Person.OpenInAsync(browser, silo.BaseAddress, "Ann", Desktop);

        // The drift policy, as the page runs it: seek beyond 300 ms, otherwise a rate that removes the drift in about a
        // second within 0.95-1.05, and exactly 1 within 10 ms.
        double[] rates = [1, 1, 1, 1, 0.98, 1.02, 0.95, 1.05, 1, 1];
        bool[] seeks = [true, true, true, false, false, false, false, false, false, false];
        Assert.Equal(rates,
            await ann.EvalAsync<double[]>("() => [-400, 400, NaN, 0, 20, -20, 120, -120, 8, -8].map(d => moodgrains.driftAction(d)).map(a => a.seek ? 1 : a.rate)"));
        Assert.Equal(seeks,
            await ann.EvalAsync<bool[]>("() => [-400, 400, NaN, 0, 20, -20, 120, -120, 8, -8].map(d => moodgrains.driftAction(d).seek)"));
        await GatherAsync([ann]);
        await QueueAsync(ann, library.Tracks[2]);
        await ann.Page.ClickAsync("#play");

        // The host clicked, so this page may play: no control is offered.
        await AllPlayingAsync([ann]);
        Assert.False(await ann.EvalAsync<bool>("() => moodgrains.audio.unlockShown"));

        // The same member opens the room in a fresh browser context (the guest session copied, nothing else: no click
        // in this document) and the page resumes the room by itself. The browser refuses to play, and the page asks once.
        // This headless Chromium let such a document play despite the policy switch, so the rule is also enforced in
        // the page: play() is refused until the person has pressed something in the document, as Chrome's default rule says.
        var code = await ann.EvalAsync<string>("() => moodgrains.roomCode");
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = Desktop,
            BaseURL = silo.BaseAddress.ToString(),
            StorageState = await ann.Page.Context.StorageStateAsync(),
        });
        await context.AddInitScriptAsync(
            "let touched = false; addEventListener('pointerdown', () => { touched = true; }, true); " +
            "const play = HTMLMediaElement.prototype.play; HTMLMediaElement.prototype.play = function () { " +
            "return touched ? play.call(this) : Promise.reject(new DOMException('No gesture yet', 'NotAllowedError')); };");
        var tab = await context.NewPageAsync();
        tab.SetDefaultTimeout(60_000);
        await tab.AddInitScriptAsync($"sessionStorage.setItem('moodgrains.room', '{code}')");
        await tab.GotoAsync("/");
        await WaitAsync(tab, "() => moodgrains.room?.nowPlaying?.state === 'Playing' && moodgrains.audio.unlockShown");
        Assert.True(await tab.EvaluateAsync<bool>("() => moodgrains.audio.paused"));
        Assert.Equal(1, await tab.Locator("#audio-unlock:visible").CountAsync());

        await tab.ClickAsync("#audio-unlock");
        await PlayingAsync(tab, "Ann's second window");
        Assert.False(await tab.EvaluateAsync<bool>("() => moodgrains.audio.unlockShown"));
        await WaitAsync(tab, "() => Math.abs(moodgrains.audio.currentTime * 1000 - moodgrains.roomPositionMs()) < 300");
    }

    /// <summary>The first person creates a room through the page, the others join it by its code.</summary>
    private static async Task GatherAsync(Person[] people)
    {
        var host = people[0];
        await host.Page.ClickAsync("#create-room");
        await host.WaitForAsync("() => !!moodgrains.roomCode");
        var code = await host.EvalAsync<string>("() => moodgrains.roomCode");
        foreach (var guest in people[1..])
        {
            await guest.Page.FillAsync("#join-code", code);
            await guest.Page.ClickAsync("#join-room");
            await guest.WaitForAsync("c => moodgrains.roomCode === c", code);
        }

        await AllAsync(people, "n => moodgrains.room.members.length === n", people.Length);
    }

    /// <summary>
    /// The host searches each demo piece by title and adds it; additions go ahead of the recommender's picks, so the
    /// pieces play first, in order. The silo imports its library at start-up, so the search is repeated until it is in.
    /// </summary>
    private static async Task QueueAsync(Person host, params DemoTrack[] tracks)
    {
        for (var i = 0; i < tracks.Length; i++)
        {
            var label = $"{tracks[i].Title} — {tracks[i].Artist}";
            var result = host.Page.Locator("#search-results li").Filter(new() { Has = host.Page.Locator(".track", new() { HasTextString = label }) });
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (await result.CountAsync() == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"The catalogue never offered the library piece '{label}'.");
                await host.Page.FillAsync("#search", tracks[i].Title);
                await host.Page.ClickAsync("#search-form button");
                await Task.Delay(1000);
            }

            await result.First.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
            await host.WaitForAsync(
                "p => document.querySelectorAll('#queue li[data-entry-id] .track')[p.index]?.textContent === p.label", new { index = i, label });
        }
    }

    /// <summary>Waits for a predicate on a page; a timeout says what the page's audio was doing.</summary>
    private static async Task WaitAsync(IPage page, string predicate)
    {
        try
        {
            await page.WaitForFunctionAsync(predicate, null, new PageWaitForFunctionOptions { PollingInterval = 100 });
        }
        catch (TimeoutException e)
        {
            var audio = await page.EvaluateAsync<string>("() => JSON.stringify({ audio: moodgrains.audio, room: moodgrains.room?.nowPlaying?.state, error: moodgrains.lastError })");
            throw new TimeoutException($"{e.Message} Waiting for {predicate}; the page: {audio}", e);
        }
    }

    private static Task AllAsync(Person[] people, string predicate, object? arg = null) =>
        Task.WhenAll(people.Select(p => p.WaitForAsync(predicate, arg)));

    private static async Task AllPlayingAsync(Person[] people)
    {
        foreach (var person in people)
        {
            await PlayingAsync(person.Page, person.Name);
        }
    }

    private static async Task PlayingAsync(IPage page, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await page.EvaluateAsync<bool>(Advancing))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"{name}'s audio is not playing: {await page.EvaluateAsync<string>("() => JSON.stringify(moodgrains.audio)")}");
        }
    }

    /// <summary>
    /// Each round names one server instant 400 ms ahead; every page reads its audio element on a timer aimed at that
    /// instant by its own server clock. Two spreads come out of the same readings: the audio's offset from the room
    /// position each page computes (max - min across pages; the figure the room's clock makes possible), and the
    /// audio positions themselves at one instant of the machine clock the browsers share (what a listener in one room
    /// would hear, clock-estimate errors included).
    /// </summary>
    private static async Task<SyncResult> MeasureAudioSpreadAsync(Person[] people)
    {
        var versusRoom = new List<double>();
        var sharedClock = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            var at = await people[0].EvalAsync<double>("() => moodgrains.serverNow()") + 400;
            var readings = await Task.WhenAll(people.Select(p => p.EvalAsync<double[]>(ReadAt, at)));
            Assert.All(readings, r => Assert.Equal(0, r[4]));
            var offsets = readings.Select(r => r[0] - r[3]).ToArray();
            var instant = readings[0][2];
            var positions = readings.Select(r => r[0] + ((instant - r[2]) * r[1])).ToArray();
            versusRoom.Add(offsets.Max() - offsets.Min());
            sharedClock.Add(positions.Max() - positions.Min());
        }

        return new SyncResult(Spread.Of(versusRoom), Spread.Of(sharedClock));
    }

    private async Task WriteResultAsync(SyncResult sync, Person[] people, DemoTrack track)
    {
        var pages = new List<object>();
        foreach (var person in people)
        {
            pages.Add(new
            {
                name = person.Name,
                clock_offset_ms = Math.Round(await person.EvalAsync<double>("() => moodgrains.clockOffsetMs"), 1),
                clock_rtt_ms = Math.Round(await person.EvalAsync<double>("() => moodgrains.clockRttMs"), 1),
                seeks = await person.EvalAsync<int>("() => moodgrains.audio.seeks"),
                playback_rate = await person.EvalAsync<double>("() => moodgrains.audio.playbackRate"),
            });
        }

        var result = new
        {
            test = $"{nameof(AudioPlaybackTests)}.{nameof(Three_pages_on_two_silos_hear_the_room_in_sync_and_follow_pause_seek_and_skip)}",
            measured_at = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            pages = people.Length,
            silos = 2,
            rounds = Rounds,
            track = track.Title,
            spread_ms_p50 = Math.Round(sync.VersusRoom.P50, 1),
            spread_ms_max = Math.Round(sync.VersusRoom.Max, 1),
            shared_clock_spread_ms_p50 = Math.Round(sync.SharedClock.P50, 1),
            shared_clock_spread_ms_max = Math.Round(sync.SharedClock.Max, 1),
            per_page = pages,
        };
        Directory.CreateDirectory(Artifacts);
        var path = Path.Combine(Artifacts, "audio-sync.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        output.WriteLine($"Wrote {path}");
    }

    private sealed record SyncResult(Spread VersusRoom, Spread SharedClock)
    {
        public string Summary =>
            $"Audio sync spread over {Rounds} rounds: against each page's room position p50 {VersusRoom.P50:F1} ms, max {VersusRoom.Max:F1} ms; " +
            $"at one shared-clock instant p50 {SharedClock.P50:F1} ms, max {SharedClock.Max:F1} ms";
    }

    private sealed record Spread(double P50, double Max)
    {
        public static Spread Of(List<double> values)
        {
            var sorted = values.Order().ToArray();
            return new Spread(sorted[sorted.Length / 2], sorted[^1]);
        }
    }
}
