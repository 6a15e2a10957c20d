using System.Diagnostics;
using MoodGrains.Hosting.Local;
using Xunit.Abstractions;

namespace MoodGrains.Server.Tests;

/// <summary>State that outlives a silo: restarts, and a second silo taking over after SIGKILL.</summary>
[Collection(ServersCollection.Name)]
public sealed class ClusterTests(ServersFixture servers, ITestOutputHelper output)
{
    /// <summary>
    /// The tests that need a room on a given silo make rooms until one lands there, which can take more than the
    /// default ten creates per person when placement keeps choosing the other silo on a busy machine.
    /// </summary>
    private static readonly Dictionary<string, string> ManyRooms = new()
    {
        ["MoodGrains__RateLimits__RoomCreatesPerIdentity__Limit"] = "200",
        ["MoodGrains__RateLimits__RoomCreatesPerIdentity__PerMinute"] = "200",
    };

    [Fact]
    public async Task Room_state_survives_a_silo_restart()
    {
        var database = await servers.Postgres.CreateDatabaseAsync("restart");
        string code;
        GuestSession session;
        await using (var first = await SiloProcess.StartAsync(database, clusterId: "restart"))
        {
            using var host = await HttpRooms.SignInAsync(first);
            session = host.Session;
            using var guest = await HttpRooms.SignInAsync(first);
            code = (await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"))).Code;
            await HttpRooms.ReadRoomAsync(await guest.JoinAsync(code, "Bob"));
        }

        await using var second = await SiloProcess.StartAsync(database, clusterId: "restart");
        // Room reads are for members: the host reads it, with the same session, through the new silo.
        using var reader = new HttpRooms(session.Authorize(second.CreateClient()), session);
        var room = await HttpRooms.ReadRoomAsync(await reader.GetAsync(code));
        Assert.Equal(["Ann", "Bob"], room.Members.Select(m => m.DisplayName));
        Assert.Equal(2, room.Version);
    }

    [Fact]
    public async Task Two_silos_form_one_cluster_and_a_room_comes_back_after_its_silo_is_killed()
    {
        var database = await servers.Postgres.CreateDatabaseAsync("failover");
        await using var a = await SiloProcess.StartAsync(database, clusterId: "failover", environment: ManyRooms);
        await using var b = await SiloProcess.StartAsync(database, clusterId: "failover", environment: ManyRooms);
        using var viaA = await HttpRooms.SignInAsync(a);
        using var viaB = await HttpRooms.SignInAsync(b);
        // Where a room lives is for its members: the host asks, through the other silo.
        using var hostViaB = new HttpRooms(viaA.Session.Authorize(b.CreateClient()), viaA.Session);

        // Rooms are placed on either silo; make rooms until one lives on each, proving both serve grains. Paced over
        // up to 30 s: placement only spreads once each silo has seen the other in the membership table and its load.
        var rooms = new Dictionary<int, string>();
        var placing = Stopwatch.StartNew();
        while (rooms.Count < 2 && placing.Elapsed < TimeSpan.FromSeconds(30))
        {
            var code = (await HttpRooms.ReadRoomAsync(await viaA.CreateAsync("Ann"))).Code;
            var location = await hostViaB.LocationAsync(code);
            rooms.TryAdd(location.Contains($":{a.SiloPort}:", StringComparison.Ordinal) ? a.SiloPort : b.SiloPort, code);
            await Task.Delay(100);
        }

        Assert.Equal(2, rooms.Count);
        var victimRoom = rooms[a.SiloPort];
        await HttpRooms.ReadRoomAsync(await viaB.JoinAsync(victimRoom, "Bob"));

        var stopwatch = Stopwatch.StartNew();
        a.Kill();
        var room = await HttpRooms.ReadRoomAsync(await viaB.GetAsync(victimRoom));
        stopwatch.Stop();

        Assert.Equal(["Ann", "Bob"], room.Members.Select(m => m.DisplayName));
        Assert.Contains($":{b.SiloPort}:", await viaB.LocationAsync(victimRoom), StringComparison.Ordinal);
        output.WriteLine($"room usable again {stopwatch.ElapsedMilliseconds} ms after SIGKILL of its silo");
    }
    [Fact]
    public async Task Sigterm_stops_a_silo_within_ten_seconds_and_the_other_silo_takes_over_its_rooms()
    {
        var database = await servers.Postgres.CreateDatabaseAsync("sigterm");
        await using var a = await SiloProcess.StartAsync(database, clusterId: "sigterm", environment: ManyRooms);
        await using var b = await SiloProcess.StartAsync(database, clusterId: "sigterm", environment: ManyRooms);
        using var viaA = await HttpRooms.SignInAsync(a);
        using var viaB = await HttpRooms.SignInAsync(b);
        using var hostViaB = new HttpRooms(viaA.Session.Authorize(b.CreateClient()), viaA.Session);

        // A room that lives on the silo being stopped, with a browser-like connection open to that silo.
        string? code = null;
        var placing = Stopwatch.StartNew();
        while (code is null && placing.Elapsed < TimeSpan.FromSeconds(30))
        {
            var candidate = (await HttpRooms.ReadRoomAsync(await viaA.CreateAsync("Ann"))).Code;
            if ((await hostViaB.LocationAsync(candidate)).Contains($":{a.SiloPort}:", StringComparison.Ordinal))
            {
                code = candidate;
            }

            await Task.Delay(100);
        }

        Assert.NotNull(code);
        await HttpRooms.ReadRoomAsync(await viaB.JoinAsync(code, "Bob"));
        await using var listener = await RoomConnection.ConnectAsync(a, session: viaA.Session);
        await listener.InvokeAsync("ResumeRoom", code);

        var stopwatch = Stopwatch.StartNew();
        var exitCode = await a.TerminateAsync(TimeSpan.FromSeconds(10));
        stopwatch.Stop();
        output.WriteLine($"silo exited {stopwatch.ElapsedMilliseconds} ms after SIGTERM with code {exitCode}");

        Assert.True(exitCode is not null, $"the silo ignored SIGTERM for 10 s:\n{OutputTail.Last(a.Output, 4000)}");
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("Unhandled exception", a.Output, StringComparison.Ordinal);
        var room = await HttpRooms.ReadRoomAsync(await viaB.GetAsync(code));
        Assert.Equal(["Ann", "Bob"], room.Members.Select(m => m.DisplayName));
        Assert.Contains($":{b.SiloPort}:", await viaB.LocationAsync(code), StringComparison.Ordinal);
    }
    [Fact]
    public async Task Sigterm_stops_a_silo_within_ten_seconds_after_its_database_and_redis_went_away()
    {
        // The order an operator's "stop everything" used to take: databases first, then the server.
        var postgres = await PostgresServer.StartAsync();
        var redis = await RedisServer.StartAsync();
        await using var silo = await SiloProcess.StartAsync(await postgres.CreateDatabaseAsync("orphan"), redis.ConnectionString, clusterId: "orphan");
        using var host = await HttpRooms.SignInAsync(silo);
        var code = (await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"))).Code;
        await using var listener = await RoomConnection.ConnectAsync(silo, session: host.Session);
        await listener.InvokeAsync("ResumeRoom", code);

        await redis.DisposeAsync();
        await postgres.DisposeAsync();
        var stopwatch = Stopwatch.StartNew();
        var exitCode = await silo.TerminateAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"silo exited {stopwatch.ElapsedMilliseconds} ms after SIGTERM with code {exitCode}");

        Assert.True(exitCode is not null, $"the silo ignored SIGTERM for 10 s:\n{OutputTail.Last(silo.Output, 4000)}");
    }
    [Fact]
    public async Task A_silo_that_stalls_for_three_seconds_stays_in_the_cluster()
    {
        // A GC pause or a frame flood on 2 cores can freeze a silo for seconds; that must not get it evicted (the
        // earlier detector declared a silo dead after two missed 1 s probes).
        var database = await servers.Postgres.CreateDatabaseAsync("stall");
        await using var a = await SiloProcess.StartAsync(database, clusterId: "stall");
        await using var b = await SiloProcess.StartAsync(database, clusterId: "stall");
        using var viaB = await HttpRooms.SignInAsync(b);
        await Task.Delay(TimeSpan.FromSeconds(3)); // both silos probing each other

        await SignalAsync("STOP", a.ProcessId);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await SignalAsync("CONT", a.ProcessId);
        await Task.Delay(TimeSpan.FromSeconds(8)); // past any vote that the stall could have caused

        Assert.False(a.HasExited, $"the stalled silo was evicted and stopped:\n{OutputTail.Last(a.Output)}");
        using var viaA = await HttpRooms.SignInAsync(a);
        var code = (await HttpRooms.ReadRoomAsync(await viaA.CreateAsync("Ann"))).Code;
        using var annViaB = new HttpRooms(viaA.Session.Authorize(b.CreateClient()), viaA.Session);
        Assert.Equal(["Ann"], (await HttpRooms.ReadRoomAsync(await annViaB.GetAsync(code))).Members.Select(m => m.DisplayName));
        Assert.DoesNotContain("declared dead", a.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task SignalAsync(string signal, int processId)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString()])!;
        await kill.WaitForExitAsync();
    }
}
