using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>
/// Rooms played on members' own Spotify: a real silo and PostgreSQL, real hub clients, the real login round trip, and
/// a local Spotify fake standing in for the accounts service and the player API.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class SpotifyPlaybackTests(ServersFixture servers) : IAsyncLifetime
{
    private FakeSpotify _spotify = null!;
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _spotify = await FakeSpotify.StartAsync();
        var database = await servers.Postgres.CreateDatabaseAsync("spotify");
        var environment = new Dictionary<string, string>(_spotify.Environment)
        {
            // Look at listeners' devices every second instead of every 15 s, so drift and take-over show up quickly.
            ["MoodGrains__Spotify__FollowCheckInterval"] = "00:00:01",
            // The fake's outages must not open the client's circuit breaker: a pause refused by the breaker would hide
            // what the outage test looks at (the breaker has its own tests in MoodGrains.Music.Tests).
            ["MoodGrains__Spotify__CircuitBreakerMinimumThroughput"] = "1000",
        };
        _silo = await SiloProcess.StartAsync(database, clusterId: "spotify", environment: environment);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _spotify.DisposeAsync();
    }

    [Fact]
    public async Task The_room_hands_the_hosts_device_one_track_at_a_time_at_the_rooms_position()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await LinkSpotifyAsync(host.Session, "premium-ann");
        var notices = Notices(host);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);

        var following = await host.InvokeAsync("SetSpotifyListening", room.Code, true, "kitchen-speaker");
        Assert.Equal([host.Session.UserId], following.SpotifyListeners);
        Assert.Empty(_spotify.Drain());

        var playing = await host.InvokeAsync("Play", room.Code);
        var first = playing.NowPlaying!.Entry.Track;
        var play = await _spotify.NextCallAsync();
        Assert.Equal(new PlayerCall("premium-ann", "play", "kitchen-speaker", UriOf(first), play.PositionMs), play);
        Assert.InRange(play.PositionMs!.Value, 0, 10_000);
        Assert.Contains(first.Title, (await NextAsync(notices)).Message, StringComparison.Ordinal);

        // A seek re-sends play(uri, position_ms) so track and position change together.
        await host.InvokeAsync("Seek", room.Code, 60_000);
        var seek = await _spotify.NextCallAsync();
        Assert.Equal(UriOf(first), seek.Uris);
        Assert.InRange(seek.PositionMs!.Value, 60_000, 70_000);

        await host.InvokeAsync("Pause", room.Code);
        Assert.Equal(new PlayerCall("premium-ann", "pause", "kitchen-speaker", "", null), await _spotify.NextCallAsync());

        await host.InvokeAsync("Play", room.Code);
        var resumed = await _spotify.NextCallAsync();
        Assert.Equal(UriOf(first), resumed.Uris);
        Assert.InRange(resumed.PositionMs!.Value, 60_000, 70_000);

        var skipped = await host.InvokeAsync("Skip", room.Code);
        var next = skipped.NowPlaying!.Entry.Track;
        Assert.NotEqual(first.TrackId, next.TrackId);
        var nextPlay = await _spotify.NextCallAsync();
        Assert.Equal(UriOf(next), nextPlay.Uris);
        Assert.InRange(nextPlay.PositionMs!.Value, 0, 10_000);

        var stopped = await host.InvokeAsync("SetSpotifyListening", room.Code, false, null);
        Assert.Empty(stopped.SpotifyListeners);
        Assert.Equal("pause", (await _spotify.NextCallAsync()).Command);
    }

    [Fact]
    public async Task Members_without_Spotify_or_Premium_are_refused_clearly_and_the_room_is_unchanged()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await using var unlinked = await RoomConnection.ConnectAsync(_silo);
        await using var free = await RoomConnection.ConnectAsync(_silo);
        await LinkSpotifyAsync(free.Session, "free-bob");
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await unlinked.InvokeAsync("JoinRoom", room.Code, "Cy");
        await free.InvokeAsync("JoinRoom", room.Code, "Bob");

        var notLinked = await Assert.ThrowsAsync<HubException>(() => unlinked.InvokeAsync("SetSpotifyListening", room.Code, true, null));
        var notPremium = await Assert.ThrowsAsync<HubException>(() => free.InvokeAsync("SetSpotifyListening", room.Code, true, null));

        Assert.Contains("SpotifyUnavailable: Connect your Spotify account first.", notLinked.Message, StringComparison.Ordinal);
        Assert.Contains("Premium", notPremium.Message, StringComparison.Ordinal);
        var after = await host.InvokeAsync("Play", room.Code);
        Assert.Empty(after.SpotifyListeners);
        Assert.Empty(_spotify.Drain());
    }

    [Fact]
    public async Task A_device_that_is_gone_is_reported_to_its_owner_and_the_room_plays_on()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await using var guest = await RoomConnection.ConnectAsync(_silo);
        await LinkSpotifyAsync(guest.Session, "premium-dee");
        var notices = Notices(guest);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await guest.InvokeAsync("JoinRoom", room.Code, "Dee");
        await guest.InvokeAsync("SetSpotifyListening", room.Code, true, "offline");

        var playing = await host.InvokeAsync("Play", room.Code);

        var notice = await NextAsync(notices);
        Assert.False(notice.Ok);
        Assert.Equal(room.Code, notice.RoomCode);
        Assert.Contains("device", notice.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(PlaybackState.Playing, playing.NowPlaying!.State);
        var skipped = await host.InvokeAsync("Skip", room.Code);
        Assert.NotEqual(playing.NowPlaying.Entry.EntryId, skipped.NowPlaying!.Entry.EntryId);

        // Picking a device that works makes the guest's Spotify join at the room's track.
        await guest.InvokeAsync("SetSpotifyListening", room.Code, true, "kitchen-speaker");
        var joined = await _spotify.NextCallAsync();
        Assert.Equal(new PlayerCall("premium-dee", "play", "kitchen-speaker", UriOf(skipped.NowPlaying.Entry.Track), joined.PositionMs), joined);
    }

    [Fact]
    public async Task A_device_that_drifted_is_put_back_at_the_rooms_position()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await LinkSpotifyAsync(host.Session, "premium-eve");
        var room = await host.InvokeAsync("CreateRoom", "Eve", false);
        await host.InvokeAsync("SetSpotifyListening", room.Code, true, null);
        var playing = await host.InvokeAsync("Play", room.Code);
        var started = await _spotify.NextCallAsync();
        Assert.Equal("play", started.Command);

        _spotify.Drift("premium-eve", 8_000);

        var corrected = await _spotify.NextCallAsync();
        Assert.Equal(new PlayerCall("premium-eve", "play", null, UriOf(playing.NowPlaying!.Entry.Track), corrected.PositionMs), corrected);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Put back where the room is (about now minus the anchor), not where the drifted device was.
        Assert.InRange(corrected.PositionMs!.Value, playing.NowPlaying.PositionAt(now) - 5_000, playing.NowPlaying.PositionAt(now) + 1_000);
    }

    [Fact]
    public async Task A_person_who_puts_on_their_own_music_stops_following_and_is_not_paused()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await LinkSpotifyAsync(host.Session, "premium-fay");
        var notices = Notices(host);
        var room = await host.InvokeAsync("CreateRoom", "Fay", false);
        await host.InvokeAsync("SetSpotifyListening", room.Code, true, null);
        var playing = await host.InvokeAsync("Play", room.Code);
        Assert.Equal("play", (await _spotify.NextCallAsync()).Command);
        await NextAsync(notices);

        _spotify.PlayOwnMusic("premium-fay");

        var notice = await NextAsync(notices);
        Assert.False(notice.Ok);
        Assert.Contains("something else", notice.Message, StringComparison.Ordinal);
        await host.NextUpdateAsync(s => s.SpotifyListeners.Count == 0);

        // Following again starts the room's track; nothing paused the person's own music in between.
        await host.InvokeAsync("SetSpotifyListening", room.Code, true, null);
        var again = await _spotify.NextCallAsync();
        Assert.Equal("play", again.Command);
        Assert.Equal(UriOf(playing.NowPlaying!.Entry.Track), again.Uris);
    }

    [Fact]
    public async Task After_an_outage_refused_a_track_a_pause_still_reaches_the_device_playing_the_earlier_one()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await LinkSpotifyAsync(host.Session, "premium-gil");
        var notices = Notices(host);
        var room = await host.InvokeAsync("CreateRoom", "Gil", false);
        await host.InvokeAsync("SetSpotifyListening", room.Code, true, "kitchen-speaker");
        await host.InvokeAsync("Play", room.Code);
        Assert.Equal("play", (await _spotify.NextCallAsync()).Command);
        Assert.True((await NextAsync(notices)).Ok);

        _spotify.GoDown("premium-gil");
        await host.InvokeAsync("Skip", room.Code);
        Assert.False((await NextAsync(notices)).Ok);
        _spotify.Restore("premium-gil");

        // The refused skip left the first track playing there: the room's pause must still reach the device.
        await host.InvokeAsync("Pause", room.Code);
        Assert.Equal(new PlayerCall("premium-gil", "pause", "kitchen-speaker", "", null), await _spotify.NextCallAsync());
    }

    /// <summary>What the fake's search answers for a demo-catalogue track (the demo catalogue carries no Spotify ids).</summary>
    private static string UriOf(TrackInfo track) => track.SpotifyUri ?? "spotify:track:" + FakeSpotify.TrackIdFor(track.Title, track.Artists[0]);

    private async Task LinkSpotifyAsync(GuestSession session, string account)
    {
        // One browser: the login's nonce cookie must come back with the callback.
        var cookies = new CookieContainer();
        using var http = session.Authorize(new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = _silo.BaseAddress });
        var login = await http.PostAsync(new Uri("/api/spotify/login", UriKind.Relative), null);
        login.EnsureSuccessStatusCode();
        var authorize = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString()!;
        var state = System.Web.HttpUtility.ParseQueryString(new Uri(authorize).Query)["state"]!;

        // The browser returns from Spotify without our token; the encrypted state says who logged in.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = _silo.BaseAddress };
        var callback = await browser.GetAsync(new Uri($"/api/spotify/callback?code={account}&state={Uri.EscapeDataString(state)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/?spotify=connected", callback.Headers.Location?.OriginalString);
    }

    private static Channel<SpotifyNotice> Notices(RoomConnection connection)
    {
        var channel = Channel.CreateUnbounded<SpotifyNotice>();
        connection.Hub.On<SpotifyNotice>("SpotifyPlayback", n => channel.Writer.TryWrite(n));
        return channel;
    }

    private static async Task<SpotifyNotice> NextAsync(Channel<SpotifyNotice> notices)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await notices.Reader.ReadAsync(timeout.Token);
    }

    private sealed record SpotifyNotice(string RoomCode, bool Ok, string Message, string? TrackTitle);
}
