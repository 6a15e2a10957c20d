using System.Net;
using MoodGrains.Testing;

namespace MoodGrains.Music.Tests.Spotify;

/// <summary>
/// Every call of the client against Prism serving Spotify's OpenAPI description. A request that breaks
/// the description (wrong parameter, limit over 10, missing body field, no bearer token) fails the test.
/// </summary>
public sealed class SpotifyApiAgainstSpecTests(PrismMock mock) : IClassFixture<PrismMock>, IAsyncLifetime
{
    private readonly PrismMock _mock = mock;
    private SpotifyTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = new SpotifyTestHost(_mock.BaseUrl, new Uri("http://127.0.0.1:9/"), innerHandler: () => new FailOnPrismValidationError());
        await _host.LinkAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [SharedDataFact]
    public async Task The_mock_rejects_what_the_description_forbids()
    {
        // The control case: without it, a mock that accepts anything would make every test below pass.
        using var http = new HttpClient { BaseAddress = _mock.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "search?q=abba&type=track&limit=20");
        request.Headers.Authorization = new("Bearer", "token");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var anonymous = await http.GetAsync(new Uri("search?q=abba&type=track&limit=5", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [SharedDataFact]
    public async Task Search_sends_a_valid_request_and_reads_tracks()
    {
        var tracks = await _host.Client.SearchTracksAsync(SpotifyTestHost.UserId, "track:\"Dancing Queen\" artist:\"ABBA\"", 5, default);
        Assert.NotEmpty(tracks);
        Assert.All(tracks, t => Assert.False(string.IsNullOrEmpty(t.Id)));
    }

    [SharedDataFact]
    public async Task Search_clamps_the_limit_to_the_development_mode_maximum()
    {
        // 50 would be answered 400 by Spotify for a development-mode app; the client must never send it.
        var tracks = await _host.Client.SearchTracksAsync(SpotifyTestHost.UserId, "mood", 50, default);
        Assert.NotNull(tracks);
    }

    [SharedDataFact]
    public async Task Get_track_reads_a_track()
    {
        var track = await _host.Client.GetTrackAsync(SpotifyTestHost.UserId, "11dFghVXANMlKmJXsNCbNl", default);
        Assert.NotNull(track);
        Assert.False(string.IsNullOrEmpty(track.Title));
    }

    [SharedDataFact]
    public async Task Profile_and_top_tracks_are_valid_requests()
    {
        var me = await _host.Client.GetCurrentUserAsync(SpotifyTestHost.UserId, default);
        Assert.False(string.IsNullOrEmpty(me.Id));
        var top = await _host.Client.GetTopTracksAsync(SpotifyTestHost.UserId, "short_term", 10, default);
        Assert.NotNull(top);
    }

    [SharedDataFact]
    public async Task Player_state_and_devices_are_valid_requests()
    {
        await _host.Client.GetPlaybackStateAsync(SpotifyTestHost.UserId, default);
        var devices = await _host.Client.GetDevicesAsync(SpotifyTestHost.UserId, default);
        Assert.NotNull(devices);
    }

    [SharedDataFact]
    public async Task Playback_commands_are_valid_requests()
    {
        var provider = _host.Provider;
        await provider.PlayAsync(SpotifyTestHost.UserId,
            new PlayRequest(["spotify:track:4iV5W9uYEdYUVa79Axb7Rh", "spotify:track:1301WleyT98MSxVHPZCA6M"], 61_500, "0d1841b0976bae2a3a310dd74c0f3df354899bc8"), default);
        await provider.PlayAsync(SpotifyTestHost.UserId, new PlayRequest(["spotify:track:4iV5W9uYEdYUVa79Axb7Rh"]), default);
        await provider.PauseAsync(SpotifyTestHost.UserId, "0d1841b0976bae2a3a310dd74c0f3df354899bc8", default);
        await provider.PauseAsync(SpotifyTestHost.UserId, null, default);
        await provider.SeekAsync(SpotifyTestHost.UserId, 25_000, null, default);
        await provider.SeekAsync(SpotifyTestHost.UserId, 25_000, "0d1841b0976bae2a3a310dd74c0f3df354899bc8", default);
        await provider.AddToQueueAsync(SpotifyTestHost.UserId, "spotify:track:4iV5W9uYEdYUVa79Axb7Rh", null, default);
        await provider.TransferPlaybackAsync(SpotifyTestHost.UserId, "74ASZWbe4lXaubB36ztrGX", play: true, default);
    }

    [SharedDataFact]
    public async Task Resolve_searches_with_field_filters()
    {
        // Prism answers with the description's example track, which is not "Dancing Queen": no match is the right answer,
        // and the request itself must still be valid.
        var match = await _host.Provider.ResolveAsync(SpotifyTestHost.UserId, new TrackQuery("Dancing Queen", "ABBA"), default);
        Assert.Null(match);
    }
}
