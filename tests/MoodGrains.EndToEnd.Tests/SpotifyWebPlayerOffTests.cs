using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>Without Spotify configured, nothing of Spotify's web player reaches the page: no option, no module, no SDK.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SpotifyWebPlayerOffTests(RoomPageFixture fixture) : IClassFixture<RoomPageFixture>
{
    [Fact]
    public async Task Without_Spotify_configured_the_page_never_loads_spotifys_player()
    {
        await using var ann = await Person.OpenInAsync(fixture.Browser, fixture.Silo.BaseAddress, "Ann", new ViewportSize { Width = 1280, Height = 900 });
        var requested = new ConcurrentQueue<string>();
        ann.Page.Context.Request += (_, request) => requested.Enqueue(request.Url);
        await ann.Page.Context.RouteAsync(SpotifyPageTests.SdkUrl, route =>
            route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/javascript", Body = SpotifyPageTests.FakeSdkScript }));

        // Even a page that remembers choosing "here (Spotify)" on another server falls back to its own audio.
        await ann.Page.EvaluateAsync("() => localStorage.setItem('moodgrains.audio.mode', 'webplayer')");
        await ann.Page.ReloadAsync();
        await ann.Page.WaitForSelectorAsync("body[data-ready='true']");
        await ann.Page.ClickAsync("#create-room");
        await ann.WaitForAsync("() => !!moodgrains.roomCode");
        await Assertions.Expect(ann.Page.Locator("#spotify-status")).ToContainTextAsync("not configured", new() { Timeout = 60_000 });
        await ann.WaitForAsync("() => document.getElementById('audio-mode').value === 'here'");

        Assert.True(await ann.EvalAsync<bool>("() => document.getElementById('audio-mode-webplayer').hidden"));
        Assert.Equal("here", await ann.EvalAsync<string>("() => localStorage.getItem('moodgrains.audio.mode')"));
        Assert.Equal(0, await ann.Page.Locator("script[src*='sdk.scdn.co']").CountAsync());
        Assert.False(await ann.EvalAsync<bool>("() => 'Spotify' in window || 'onSpotifyWebPlaybackSDKReady' in window"));
        Assert.DoesNotContain(requested, url => url.Contains("sdk.scdn.co", StringComparison.Ordinal) || url.Contains("spotify-web-player", StringComparison.Ordinal));
        Assert.Contains(requested, url => url.Contains("/api/spotify/status", StringComparison.Ordinal));
    }
}
