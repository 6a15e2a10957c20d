using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Hosting.Local;
using MoodGrains.Testing;

namespace MoodGrains.Server.Tests;

/// <summary>Webcam frames through the hub: the inference workers answer every frame, good or bad, and the room hears the good ones.</summary>
[Collection(ServersCollection.Name)]
public sealed class FrameTests(ServersFixture servers) : IAsyncLifetime
{
    private SiloProcess _silo = null!;

    // These tests are about what each frame's sender hears, not about shedding load: a frame may wait up to the
    // longest queue wait allowed, so a test machine busy with other suites never turns an answer into "Busy".
    public async Task InitializeAsync() =>
        _silo = await SiloProcess.StartAsync(
            await servers.Postgres.CreateDatabaseAsync("frames"),
            clusterId: "frames",
            environment: new Dictionary<string, string> { ["MoodGrains__Inference__MaxQueueWait"] = "00:00:10" });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [SharedDataFact]
    public async Task A_face_frame_moves_the_senders_mood_and_the_room_hears_it()
    {
        var photo = await File.ReadAllBytesAsync(SharedData.PathOf("expression-photos/happy.jpg")!);
        await using var host = await RoomConnection.ConnectAsync(_silo);
        await using var guest = await RoomConnection.ConnectAsync(_silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await guest.InvokeAsync("JoinRoom", room.Code, "Bob");

        var outcome = await SendAsync(host, photo);

        Assert.Equal("Ok", outcome.GetProperty("status").GetString());
        Assert.Equal(1, outcome.GetProperty("faces").GetInt32());
        Assert.Equal("Happy", outcome.GetProperty("mood").GetProperty("dominant").GetString());
        var heard = await guest.NextMoodAsync(m => m.Mood.Members.Any(x => x.UserId == host.Session.UserId && x.Mood.Confidence > 0));
        Assert.Equal(room.Code, heard.Code);
    }

    [Fact]
    public async Task Bad_frames_get_a_clear_status_and_the_connection_and_room_carry_on()
    {
        await using var person = await RoomConnection.ConnectAsync(_silo);
        var room = await person.InvokeAsync("CreateRoom", "Ann", false);
        var random = new byte[4096];
        new Random(7).NextBytes(random);
        var truncatedJpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46 };

        Assert.Equal("Empty", (await SendAsync(person, [])).GetProperty("status").GetString());
        Assert.Equal("UnsupportedFormat", (await SendAsync(person, random)).GetProperty("status").GetString());
        Assert.Equal("UnsupportedFormat", (await SendAsync(person, "just some text"u8.ToArray())).GetProperty("status").GetString());
        Assert.Equal("Undecodable", (await SendAsync(person, truncatedJpeg)).GetProperty("status").GetString());
        var tooLarge = await SendAsync(person, new byte[600 * 1024]);
        Assert.Equal("TooLarge", tooLarge.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(tooLarge.GetProperty("detail").GetString()));

        var after = await person.InvokeAsync("ResumeRoom", room.Code);
        Assert.Equal(room.Code, after.Code);
    }

    [Fact]
    public async Task A_sender_who_floods_frames_is_slowed_down_alone()
    {
        await using var flooder = await RoomConnection.ConnectAsync(_silo);
        await using var other = await RoomConnection.ConnectAsync(_silo);

        // 60 frames back to back: far above 5 a second with a burst of 8, unless 60 calls took over 10 s.
        var statuses = new List<string>();
        JsonElement tooFast = default;
        for (var i = 0; i < 60; i++)
        {
            var outcome = await SendAsync(flooder, []);
            statuses.Add(outcome.GetProperty("status").GetString()!);
            if (statuses[^1] == "TooFast")
            {
                tooFast = outcome;
            }
        }

        Assert.Equal(["Empty", "TooFast"], statuses.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Repeat("Empty", 8), statuses.Take(8));
        Assert.Contains("frames a second", tooFast.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Another member's frames are not held back by the flood.
        Assert.Equal("Empty", (await SendAsync(other, [])).GetProperty("status").GetString());
    }

    private static Task<JsonElement> SendAsync(RoomConnection connection, byte[] frame) =>
        connection.Hub.InvokeCoreAsync<JsonElement>("SendFrame", [frame]);
}
