using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MoodGrains.Abstractions.Rooms;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Audio.Demo;
using MoodGrains.Hosting.Local;
using MoodGrains.Storage;
using Npgsql;

namespace MoodGrains.Server.Tests;

/// <summary>
/// What a room can hear, through a real silo: a demo library of five pieces (what a fresh <c>./run.sh</c> plays), a
/// catalogue of Spotify tracks, and the Spotify fake. Rooms fill up on the library, take Spotify tracks only while a
/// member follows on Spotify, and say so on an added track nobody can hear.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class RoomSourcesTests(ServersFixture servers) : IAsyncLifetime
{
    // The default plan's depth.
    private const int PlanDepth = 3;

    // Exactly what a started room takes: one piece playing and a full plan behind it, which a cap of one track per
    // artist only allows when each piece has its own artist (or the cap gives way).
    private const int LibraryPieces = PlanDepth + 1;

    private static readonly string[] SpotifyTitles = ["Velvet Static", "Paper Comets", "Night Ferry", "Glass Orchard", "Slow Thunder", "Blue Hour"];

    private readonly string _library = Directory.CreateTempSubdirectory("moodgrains-sources-").FullName;
    private FakeSpotify _spotify = null!;
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _spotify = await FakeSpotify.StartAsync();
        await DemoLibrary.MakeAsync(_library, LibraryPieces);
        var database = await servers.Postgres.CreateDatabaseAsync("sources");
        // The Spotify tracks are in the catalogue before the server starts (so it does not seed the editorial demo
        // catalogue, which has no Spotify ids): what a catalogue imported from Spotify looks like.
        await DatabaseMigrator.MigrateAsync(database);
        await using (var dataSource = NpgsqlDataSource.Create(database))
        {
            for (var i = 0; i < SpotifyTitles.Length; i++)
            {
                await using var insert = dataSource.CreateCommand(
                    "INSERT INTO tracks (spotify_id, title, artists, duration_ms, popularity, valence, energy, danceability, acousticness, tempo) " +
                    "VALUES ($1, $2, $3, 200000, 90, 0.6, 0.5, 0.6, 0.3, 110)");
                insert.Parameters.AddWithValue(FakeSpotify.TrackIdFor(SpotifyTitles[i], $"Spotify Artist {i}"));
                insert.Parameters.AddWithValue(SpotifyTitles[i]);
                insert.Parameters.AddWithValue(new[] { $"Spotify Artist {i}" });
                await insert.ExecuteNonQueryAsync();
            }
        }

        _silo = await SiloProcess.StartAsync(database, clusterId: "sources",
            environment: new Dictionary<string, string>(_spotify.Environment) { ["MOODGRAINS_LIBRARY"] = _library });
        await WaitForModelAsync(LibraryPieces + SpotifyTitles.Length);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _spotify.DisposeAsync();
        Directory.Delete(_library, recursive: true);
    }

    [Fact]
    public async Task A_room_on_the_demo_library_fills_its_queue_with_pieces_by_different_ensembles()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        var playing = await host.InvokeAsync("Play", room.Code);

        Assert.Equal(PlanDepth, playing.Queue.Count);
        var heard = playing.Queue.Select(e => e.Track).Prepend(playing.NowPlaying!.Entry.Track).ToList();
        Assert.All(heard, t => Assert.True(t.HasAudio, $"{t.Title} has no audio, yet nobody follows on Spotify"));
        Assert.Equal(LibraryPieces, heard.Select(t => t.Artists[0]).Distinct().Count());
        Assert.All(playing.Queue, e => Assert.Null(e.Note));
    }

    [Fact]
    public async Task Spotify_tracks_are_recommended_only_while_someone_follows_on_Spotify()
    {
        await using var host = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Bea", false);

        // Starting takes every piece (one playing, the plan behind it): with nobody on Spotify there is nothing else the
        // room could hear, so the plan holds library pieces only rather than a silent track.
        var playing = await host.InvokeAsync("Play", room.Code);
        var library = playing.Queue.Select(e => e.Track.TrackId).Append(playing.NowPlaying!.Entry.Track.TrackId).ToHashSet();
        Assert.Equal(LibraryPieces, library.Count);
        Assert.All(playing.Queue, e => Assert.True(e.Track.HasAudio));

        // Bea adds a Spotify track herself: it is queued, with a note that nobody here can play it.
        var found = await host.Hub.InvokeAsync<IReadOnlyList<TrackInfo>>("SearchTracks", room.Code, "Velvet Static");
        var velvet = Assert.Single(found, t => t.Title == "Velvet Static");
        Assert.False(velvet.HasAudio);
        var added = await host.InvokeAsync("AddTrack", room.Code, velvet.TrackId);
        var entry = Assert.Single(added.Queue, e => e.Track.TrackId == velvet.TrackId);
        Assert.Equal("nobody here can play this: Spotify only", entry.Note);

        // She follows on Spotify: the note goes, since her device can play it.
        await LinkSpotifyAsync(host.Session, "premium-bea");
        var following = await host.InvokeAsync("SetSpotifyListening", room.Code, true, "kitchen-speaker");
        Assert.Null(Assert.Single(following.Queue, e => e.Track.TrackId == velvet.TrackId).Note);

        // Her choice plays first; one more track later every piece has been played or is planned, so the plan's new
        // pick is a Spotify track: she can hear it.
        var skipped = await host.InvokeAsync("Skip", room.Code);
        Assert.Equal(velvet.TrackId, skipped.NowPlaying!.Entry.Track.TrackId);
        var next = await host.InvokeAsync("Skip", room.Code);
        Assert.Equal(PlanDepth, next.Queue.Count);
        var picks = next.Queue.Where(e => !library.Contains(e.Track.TrackId)).ToList();
        Assert.NotEmpty(picks);
        Assert.All(picks, pick =>
        {
            Assert.Null(pick.AddedByUserId);
            Assert.Contains(pick.Track.Title, SpotifyTitles);
            Assert.StartsWith("spotify:track:", pick.Track.SpotifyUri, StringComparison.Ordinal);
            Assert.Null(pick.Note);
        });
    }

    /// <summary>Waits until a model trained on the whole catalogue (the Spotify tracks and the scanned library) serves.</summary>
    private async Task WaitForModelAsync(int tracks)
    {
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (!_silo.Output.Contains($"trained: {tracks} tracks", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No model trained on {tracks} tracks. Server output:\n{_silo.Output}");
            }

            await Task.Delay(250);
        }
    }

    private async Task LinkSpotifyAsync(GuestSession session, string account)
    {
        // One browser: the login's nonce cookie must come back with the callback.
        var cookies = new CookieContainer();
        using var http = session.Authorize(new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = _silo.BaseAddress });
        var login = await http.PostAsync(new Uri("/api/spotify/login", UriKind.Relative), null);
        login.EnsureSuccessStatusCode();
        var authorize = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizeUrl").GetString()!;
        var state = System.Web.HttpUtility.ParseQueryString(new Uri(authorize).Query)["state"]!;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = _silo.BaseAddress };
        var callback = await browser.GetAsync(new Uri($"/api/spotify/callback?code={account}&state={Uri.EscapeDataString(state)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
    }
}
