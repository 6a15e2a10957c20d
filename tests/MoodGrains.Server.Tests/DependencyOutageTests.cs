using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Hosting.Local;
using Npgsql;
using StackExchange.Redis;

namespace MoodGrains.Server.Tests;

/// <summary>
/// Redis and PostgreSQL going away and coming back under running silos (real processes, real servers): Redis is
/// optional at start and while running, and a PostgreSQL restart costs at most a "try again".
/// </summary>
[Collection(ServersCollection.Name)]
public sealed partial class DependencyOutageTests(ServersFixture servers)
{
    /// <summary>"Promptly" for a call made while Redis is down: the old behaviour held each push ~5 s, then retried.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_silo_starts_without_redis_serves_rooms_and_reaches_other_silos_once_redis_answers()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        var database = await servers.Postgres.CreateDatabaseAsync("noredis");
        await using var a = await SiloProcess.StartAsync(database, redis.ConnectionString, clusterId: "noredis");

        var health = await ReadHealthAsync(a);
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("Degraded", health.Overall);
        Assert.Equal("Degraded", health.Of("redis"));
        Assert.Equal("Healthy", health.Of("postgres"));

        await using var host = await RoomConnection.ConnectAsync(a);
        await using var guest = await RoomConnection.ConnectAsync(a);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await guest.InvokeAsync("JoinRoom", room.Code, "Bob");
        await host.NextUpdateAsync(s => s.Members.Count == 2);
        var tracks = await TrackIdsAsync(database, 2);
        var added = await host.InvokeAsync("AddTrack", room.Code, tracks[0]);
        Assert.Single(added.Queue, e => AddedBy(e, host, tracks[0]));
        await guest.NextUpdateAsync(s => s.Queue.Any(e => AddedBy(e, host, tracks[0])));

        await redis.StartAgainAsync();
        await WaitForHealthAsync(a, "Healthy");
        await using var b = await SiloProcess.StartAsync(database, redis.ConnectionString, clusterId: "noredis");
        await WaitForHealthAsync(b, "Healthy");
        await WaitForSubscribersAsync(redis, "noredis", 2);
        Assert.Contains($":{a.SiloPort}:", await LocationAsync(a, host, room.Code), StringComparison.Ordinal);

        // The room lives on a; a member listening through b hears its next change over Redis.
        await using var third = await RoomConnection.ConnectAsync(b);
        await third.InvokeAsync("JoinRoom", room.Code, "Cy");
        await host.InvokeAsync("AddTrack", room.Code, tracks[1]);
        await third.NextUpdateAsync(s => s.Queue.Any(e => AddedBy(e, host, tracks[1])));
        await guest.NextUpdateAsync(s => s.Queue.Any(e => AddedBy(e, host, tracks[1])));
    }

    [Fact]
    public async Task With_redis_gone_mid_session_calls_answer_promptly_take_effect_once_and_cross_silo_pushes_resume_when_it_returns()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = await servers.Postgres.CreateDatabaseAsync("redisdown");
        await using var a = await SiloProcess.StartAsync(database, redis.ConnectionString, clusterId: "redisdown");
        await using var b = await SiloProcess.StartAsync(database, redis.ConnectionString, clusterId: "redisdown");
        await WaitForSubscribersAsync(redis, "redisdown", 2);
        await using var host = await RoomConnection.ConnectAsync(a);
        await using var guest = await RoomConnection.ConnectAsync(b);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await guest.InvokeAsync("JoinRoom", room.Code, "Bob");
        await host.NextUpdateAsync(s => s.Members.Count == 2);
        var tracks = await TrackIdsAsync(database, 2);
        var onRoomsSilo = (await LocationAsync(a, host, room.Code)).Contains($":{a.SiloPort}:", StringComparison.Ordinal) ? host : guest;

        await redis.StopAsync();
        await WaitForHealthAsync(a, "Degraded");
        await WaitForHealthAsync(b, "Degraded");
        var stopwatch = Stopwatch.StartNew();
        var added = await host.InvokeAsync("AddTrack", room.Code, tracks[0]);
        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < Prompt, $"AddTrack took {stopwatch.ElapsedMilliseconds} ms with Redis down");
        Assert.Single(added.Queue, e => AddedBy(e, host, tracks[0]));
        // A member on the room's own silo still hears it.
        await onRoomsSilo.NextUpdateAsync(s => s.Queue.Any(e => AddedBy(e, host, tracks[0])));

        await redis.StartAgainAsync();
        await WaitForHealthAsync(a, "Healthy");
        await WaitForHealthAsync(b, "Healthy");
        await WaitForSubscribersAsync(redis, "redisdown", 2);
        await host.InvokeAsync("AddTrack", room.Code, tracks[1]);
        await host.NextUpdateAsync(s => s.Queue.Any(e => AddedBy(e, host, tracks[1])));
        await guest.NextUpdateAsync(s => s.Queue.Any(e => AddedBy(e, host, tracks[1])));

        // Taken in exactly once, though its push could not reach the other silo.
        var stored = await ReadRoomAsync(a, host, room.Code);
        Assert.Single(stored.Queue, e => AddedBy(e, host, tracks[0]));
        Assert.Single(stored.Queue, e => AddedBy(e, host, tracks[1]));
        // One warning when Redis went away and an information line when it came back (the silo keeps only the tail of
        // its output, so the line from start-up may be gone).
        // Under load the warning itself can already have scrolled out of that tail, and the line for Redis's return can
        // be written a moment after the pushes resumed: the log is read until it has that line after the warning.
        var output = a.Output;
        for (var read = 0; read < 50 && !AnswersAfterWarning(output); read++)
        {
            await Task.Delay(200);
            output = a.Output;
        }

        Assert.True(Unreachable().Matches(output).Count <= 1, $"more than one warning for one outage:\n{OutputTail.Last(output)}");
        Assert.True(AnswersAfterWarning(output), $"no line saying Redis answers again after the warning:\n{OutputTail.Last(output)}");
    }

    [Fact]
    public async Task A_postgres_restart_mid_session_costs_at_most_a_try_again_and_the_next_calls_succeed()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("pgrestart");
        await using var silo = await SiloProcess.StartAsync(database, clusterId: "pgrestart");
        await using var host = await RoomConnection.ConnectAsync(silo);
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        var tracks = await TrackIdsAsync(database, 3);
        await host.InvokeAsync("AddTrack", room.Code, tracks[0]);

        await postgres.StopAsync();
        await WaitForHealthAsync(silo, "Unhealthy", HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", (await ReadHealthAsync(silo)).Of("postgres"));
        // A call while the database is down is told to try again, never "an unexpected error".
        var refused = await Assert.ThrowsAsync<HubException>(() => host.InvokeAsync("AddTrack", room.Code, tracks[1]));
        Assert.Contains("TryAgain:", refused.Message, StringComparison.Ordinal);

        await postgres.StartAgainAsync();
        await WaitForHealthAsync(silo, "Healthy");
        var added = await host.InvokeAsync("AddTrack", room.Code, tracks[2]);
        Assert.Single(added.Queue, e => AddedBy(e, host, tracks[2]));
        var stored = await ReadRoomAsync(silo, host, room.Code);
        Assert.Single(stored.Queue, e => AddedBy(e, host, tracks[0]));
        Assert.Single(stored.Queue, e => AddedBy(e, host, tracks[2]));
        Assert.DoesNotContain("53300", silo.Output, StringComparison.Ordinal);
    }

    private static bool AddedBy(QueueEntry entry, RoomConnection member, long trackId) =>
        entry.AddedByUserId == member.Session.UserId && entry.Track.TrackId == trackId;

    private static async Task<long[]> TrackIdsAsync(string database, int count)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT track_id FROM tracks ORDER BY track_id LIMIT @n", connection);
        command.Parameters.AddWithValue("n", count);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        Assert.Equal(count, ids.Count);
        return [.. ids];
    }

    private static async Task<string> LocationAsync(SiloProcess silo, RoomConnection member, string code)
    {
        using var rooms = new HttpRooms(member.Session.Authorize(silo.CreateClient()), member.Session);
        return await rooms.LocationAsync(code);
    }

    private static async Task<RoomSnapshot> ReadRoomAsync(SiloProcess silo, RoomConnection member, string code)
    {
        using var rooms = new HttpRooms(member.Session.Authorize(silo.CreateClient()), member.Session);
        return await HttpRooms.ReadRoomAsync(await rooms.GetAsync(code));
    }

    private static async Task<Health> ReadHealthAsync(SiloProcess silo)
    {
        using var http = silo.CreateClient();
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Health(response.StatusCode, body);
    }

    private static async Task WaitForHealthAsync(SiloProcess silo, string status, HttpStatusCode code = HttpStatusCode.OK)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        Health health;
        do
        {
            health = await ReadHealthAsync(silo);
            if (health.Overall == status && health.Status == code)
            {
                return;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"/health stayed {health.Status} {health.Body} instead of {status}");
    }

    /// <summary>Both silos listen on the hub's channel again: Redis itself says so.</summary>
    private static async Task WaitForSubscribersAsync(RedisServer redis, string clusterId, int silos)
    {
        await using var client = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var server = client.GetServer(client.GetEndPoints()[0]);
        var channel = RedisChannel.Literal($"moodgrains:{clusterId}:hub:RoomHub");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await server.SubscriptionSubscriberCountAsync(channel) < silos)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {silos} silos subscribed to {channel}");
            await Task.Delay(200);
        }
    }

    private static bool AnswersAfterWarning(string output)
    {
        var wentAway = Unreachable().Matches(output);
        return Answers().Matches(output).Any(m => wentAway.Count == 0 || m.Index > wentAway[^1].Index);
    }

    [GeneratedRegex("Redis at [^ ]+ is unreachable")]
    private static partial Regex Unreachable();

    [GeneratedRegex("Redis at [^ ]+ answers")]
    private static partial Regex Answers();

    private sealed record Health(HttpStatusCode Status, JsonElement Body)
    {
        public string? Overall => Body.GetProperty("status").GetString();

        public string? Of(string check) => Body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString();
    }
}
