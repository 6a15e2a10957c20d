using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Audio.Demo;
using MoodGrains.Hosting.Local;
using Npgsql;

namespace MoodGrains.Server.Tests;

/// <summary>
/// Streaming from the library through a real silo: it scans two demo pieces made here at start-up, members get signed
/// URLs and range requests, everyone else gets 403 or 404.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class LibraryStreamingTests(ServersFixture servers) : IAsyncLifetime
{
    // SiloProcess's default session key; media URLs are signed with it.
    private static readonly byte[] SessionKey = Convert.FromBase64String("bW9vZGdyYWlucy10ZXN0LXNpZ25pbmcta2V5LTMyYnl0ZXMhIQ==");

    private readonly string _library = Directory.CreateTempSubdirectory("moodgrains-library-").FullName;
    private SiloProcess _silo = null!;
    private string _database = null!;
    private IReadOnlyList<(long TrackId, string Path)> _files = [];

    public async Task InitializeAsync()
    {
        await DemoLibrary.MakeAsync(_library, count: 2);
        _database = await servers.Postgres.CreateDatabaseAsync("library");
        _silo = await SiloProcess.StartAsync(_database, clusterId: "library",
            environment: new Dictionary<string, string> { ["MOODGRAINS_LIBRARY"] = _library });
        _files = await WaitForScanAsync(expected: 2);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_library, recursive: true);
    }

    [Fact]
    public async Task A_member_gets_a_signed_url_and_streams_a_byte_range_of_the_file()
    {
        using var host = await HttpRooms.SignInAsync(_silo);
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));
        var (trackId, relativePath) = _files[0];

        var audio = await GetAudioAsync(host, room.Code, trackId);
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        var body = (await audio.Content.ReadFromJsonAsync<AudioResponse>())!;
        Assert.Equal("audio/ogg", body.ContentType);
        Assert.StartsWith($"/media/{trackId}?u={host.Session.UserId}&e=", body.Url, StringComparison.Ordinal);
        Assert.InRange(body.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10.1));

        // The audio element sends no Authorization header: the signature alone must do.
        using var anonymous = _silo.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, body.Url);
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var partial = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("audio/ogg", partial.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", string.Join(",", partial.Headers.AcceptRanges));
        Assert.True(partial.Headers.CacheControl is { Private: true, MaxAge: { } maxAge } && maxAge > TimeSpan.FromMinutes(9),
            $"Cache-Control was {partial.Headers.CacheControl}");
        var file = await File.ReadAllBytesAsync(Path.Combine(_library, relativePath));
        Assert.Equal(file.AsSpan(1000, 1000).ToArray(), await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(file.Length, partial.Content.Headers.ContentRange?.Length);
    }

    [Fact]
    public async Task A_non_member_is_refused_the_url_and_an_unknown_track_is_not_found()
    {
        using var host = await HttpRooms.SignInAsync(_silo);
        using var stranger = await HttpRooms.SignInAsync(_silo);
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));

        var refused = await GetAudioAsync(stranger, room.Code, _files[0].TrackId);
        var unknown = await GetAudioAsync(host, room.Code, 987_654_321);

        Assert.Equal((HttpStatusCode.Forbidden, "NotMember"), await HttpRooms.ReadProblemAsync(refused));
        Assert.Equal((HttpStatusCode.NotFound, "NoAudio"), await HttpRooms.ReadProblemAsync(unknown));
    }

    [Fact]
    public async Task Expired_tampered_and_unsigned_media_urls_are_refused_and_unknown_tracks_are_not_found()
    {
        using var http = _silo.CreateClient();
        var trackId = _files[0].TrackId;
        var past = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        var future = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();

        var expired = await http.GetAsync(SignedUrl(trackId, "u1", past));
        var valid = await http.GetAsync(SignedUrl(trackId, "u1", future));
        var tampered = await http.GetAsync(SignedUrl(trackId, "u1", future).Replace("u=u1", "u=u2", StringComparison.Ordinal));
        var otherTrack = await http.GetAsync(SignedUrl(trackId, "u1", future).Replace($"/media/{trackId}?", $"/media/{_files[1].TrackId}?", StringComparison.Ordinal));
        var unsigned = await http.GetAsync($"/media/{trackId}");
        var unknown = await http.GetAsync(SignedUrl(987_654_321, "u1", future));

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherTrack.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_track_whose_stored_path_leaves_the_library_is_not_served()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        var trackId = _files[1].TrackId;
        await using (var command = new NpgsqlCommand("UPDATE library_files SET relative_path = '../../../../etc/passwd' WHERE track_id = $1", connection))
        {
            command.Parameters.AddWithValue(trackId);
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            using var http = _silo.CreateClient();
            var response = await http.GetAsync(SignedUrl(trackId, "u1", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            await using var restore = new NpgsqlCommand("UPDATE library_files SET relative_path = $2 WHERE track_id = $1", connection);
            restore.Parameters.AddWithValue(trackId);
            restore.Parameters.AddWithValue(_files[1].Path);
            await restore.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task With_a_library_the_room_picks_audible_tracks_and_an_added_track_without_audio_says_so()
    {
        // The scan retrains the recommender so that it knows the library tracks; wait for that second training.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (Regex.Count(_silo.Output, "Recommender .* trained") < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "The recommender was not retrained after the library scan:\n" + _silo.Output);
            await Task.Delay(500);
        }

        await using var host = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        // A hand-picked mood starts the first plan at once instead of after the faces window.
        await host.Hub.InvokeAsync<MoodSnapshot>("SetManualMood", "happy");
        var found = await host.Hub.InvokeAsync<IReadOnlyList<TrackInfo>>("SearchTracks", room.Code, "love");
        var silent = found.First(t => !t.HasAudio);
        var added = await host.InvokeAsync("AddTrack", room.Code, silent.TrackId);

        var picks = added.Queue.Where(e => e.AddedByUserId is null).ToList();
        Assert.NotEmpty(picks);
        Assert.All(picks, e => Assert.True(e.Track.HasAudio, $"{e.Track.Title} has no audio"));
        Assert.Subset(_files.Select(f => f.TrackId).ToHashSet(), picks.Select(e => e.Track.TrackId).ToHashSet());
        var entry = added.Queue.First(e => e.Track.TrackId == silent.TrackId);
        Assert.StartsWith("added by Ann · no audio here", entry.Reason, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> GetAudioAsync(HttpRooms rooms, string code, long trackId) =>
        rooms.GetRawAsync($"/api/rooms/{code}/tracks/{trackId}/audio");

    /// <summary>The server's signature, computed here from the shared key, so an expired URL can be genuinely signed.</summary>
    private static string SignedUrl(long trackId, string userId, long expires)
    {
        var e = expires.ToString(CultureInfo.InvariantCulture);
        var payload = $"media:{trackId}.{userId}.{e}";
        var s = Convert.ToBase64String(HMACSHA256.HashData(SessionKey, Encoding.ASCII.GetBytes(payload))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"/media/{trackId}?u={userId}&e={e}&s={s}";
    }

    private async Task<IReadOnlyList<(long, string)>> WaitForScanAsync(int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT track_id, relative_path FROM library_files ORDER BY relative_path", connection);
            var rows = new List<(long, string)>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }

            if (rows.Count >= expected)
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The start-up scan stored {rows.Count} of {expected} files. Server output:\n{_silo.Output}");
            }

            await Task.Delay(500);
        }
    }

    private sealed record AudioResponse(string Url, DateTimeOffset ExpiresAt, string ContentType);
}
