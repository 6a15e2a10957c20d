using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>The Prometheus scrape endpoint of a real server: MoodGrains' own instruments move, Orleans' meters are there.</summary>
[Collection(ServersCollection.Name)]
public sealed partial class MetricsTests(ServersFixture servers) : IAsyncLifetime
{
    private SiloProcess _silo = null!;

    // The frame below must be analysed, not shed: it may wait up to the longest queue wait allowed on a busy machine.
    public async Task InitializeAsync() =>
        _silo = await SiloProcess.StartAsync(
            await servers.Postgres.CreateDatabaseAsync("metrics"),
            clusterId: "metrics",
            environment: new Dictionary<string, string> { ["MoodGrains__Inference__MaxQueueWait"] = "00:00:10" });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_frame_moves_the_frame_counter_and_the_inference_histogram()
    {
        using var http = _silo.CreateClient();
        var before = await http.GetStringAsync("/metrics");
        await using var person = await RoomConnection.ConnectAsync(_silo);
        var truncatedJpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46 };

        var outcome = await person.Hub.InvokeCoreAsync<JsonElement>("SendFrame", [truncatedJpeg]);
        Assert.Equal("Undecodable", outcome.GetProperty("status").GetString());

        const string frames = "moodgrains_frames_total";
        const string undecodable = "outcome=\"Undecodable\"";
        const string inferences = "moodgrains_inference_duration_seconds_count";
        // The exporter caches a scrape briefly; wait for one taken after the frame.
        var after = before;
        for (var i = 0; i < 40 && ValueOf(after, frames, undecodable) == ValueOf(before, frames, undecodable); i++)
        {
            await Task.Delay(250);
            after = await http.GetStringAsync("/metrics");
        }

        Assert.Equal(ValueOf(before, frames, undecodable) + 1, ValueOf(after, frames, undecodable));
        Assert.Equal(ValueOf(before, inferences) + 1, ValueOf(after, inferences));
        Assert.Contains("# TYPE moodgrains_inference_duration_seconds histogram", after, StringComparison.Ordinal);
        Assert.Contains("moodgrains_inference_decode_duration_seconds_bucket", after, StringComparison.Ordinal);
        Assert.Contains("moodgrains_inference_queue_depth", after, StringComparison.Ordinal);
        // No personal data in labels: the sender's id never appears.
        Assert.DoesNotContain(person.Session.UserId, after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_show_orleans_aspnetcore_and_room_instruments()
    {
        await using var person = await RoomConnection.ConnectAsync(_silo);
        var room = await person.InvokeAsync("CreateRoom", "Ann", false);
        using var http = _silo.CreateClient();

        var text = await http.GetStringAsync("/metrics");
        for (var i = 0; i < 40 && ValueOf(text, "moodgrains_rooms_active") < 1; i++)
        {
            await Task.Delay(250);
            text = await http.GetStringAsync("/metrics");
        }

        Assert.Contains("orleans_catalog_activations", text, StringComparison.Ordinal);
        Assert.Contains("orleans_messaging_", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.True(ValueOf(text, "moodgrains_rooms_active") >= 1, "moodgrains_rooms_active should count the new room");
        Assert.True(ValueOf(text, "moodgrains_room_members") >= 1, "moodgrains_room_members should count its host");
        Assert.Contains("moodgrains_room_push_duration_seconds_count", text, StringComparison.Ordinal);
        Assert.DoesNotContain(room.Code, text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The sum of the samples named <paramref name="name"/> (whose labels include <paramref name="label"/>, if given);
    /// 0 when there are none. A sample line is <c>name{labels} value [timestamp]</c>.
    /// </summary>
    private static double ValueOf(string exposition, string name, string? label = null) =>
        exposition.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})? (?<value>[^ ]+)( [0-9]+)?$")]
    private static partial Regex Sample();
}
