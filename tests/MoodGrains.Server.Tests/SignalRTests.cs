using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Testing;

namespace MoodGrains.Server.Tests;

/// <summary>Real .NET SignalR clients receiving room pushes, on one silo and across two silos over Redis.</summary>
[Collection(ServersCollection.Name)]
public sealed class SignalRTests(ServersFixture servers)
{
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_member_sees_the_member_list_change_when_someone_joins()
    {
        await using var silo = await SiloProcess.StartAsync(await servers.Postgres.CreateDatabaseAsync("signalr"), clusterId: "signalr");
        await using var host = await RoomConnection.ConnectAsync(silo);
        var room = await host.Hub.InvokeAsync<RoomSnapshot>("CreateRoom", "Ann", false);

        await using var guest = await RoomConnection.ConnectAsync(silo);
        await guest.Hub.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob");

        var update = await host.NextUpdateAsync(s => s.Members.Count == 2);
        Assert.Equal(["Ann", "Bob"], update.Members.Select(m => m.DisplayName));
    }

    [Fact]
    public async Task Hub_errors_carry_the_error_code()
    {
        await using var silo = await SiloProcess.StartAsync(await servers.Postgres.CreateDatabaseAsync("hub_errors"), clusterId: "huberrors");
        await using var person = await RoomConnection.ConnectAsync(silo);

        var error = await Assert.ThrowsAsync<HubException>(() => person.Hub.InvokeAsync<RoomSnapshot>("JoinRoom", "ZZZZZZ", "Ann"));
        // SignalR prefixes a HubException's message with its own sentence; the code follows "HubException: ".
        Assert.Contains($"HubException: {nameof(RoomError.RoomNotFound)}: There is no room", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_redis_a_client_on_one_silo_sees_a_join_made_through_another()
    {
        var database = await servers.Postgres.CreateDatabaseAsync("backplane");
        await using var a = await SiloProcess.StartAsync(database, servers.Redis.ConnectionString, clusterId: "backplane");
        await using var b = await SiloProcess.StartAsync(database, servers.Redis.ConnectionString, clusterId: "backplane");

        await using var onA = await RoomConnection.ConnectAsync(a);
        var room = await onA.Hub.InvokeAsync<RoomSnapshot>("CreateRoom", "Ann", false);

        await using var onB = await RoomConnection.ConnectAsync(b);
        await onB.Hub.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob");

        var update = await onA.NextUpdateAsync(s => s.Members.Count == 2);
        Assert.Equal(["Ann", "Bob"], update.Members.Select(m => m.DisplayName));
    }

    private sealed class RoomConnection : IAsyncDisposable
    {
        private readonly Channel<RoomSnapshot> _updates = Channel.CreateUnbounded<RoomSnapshot>();

        private RoomConnection(HubConnection hub)
        {
            Hub = hub;
            Hub.On<RoomSnapshot>("RoomUpdated", s => _updates.Writer.TryWrite(s));
        }

        public HubConnection Hub { get; }

        public static async Task<RoomConnection> ConnectAsync(SiloProcess silo)
        {
            using var http = silo.CreateClient();
            var session = await GuestSession.CreateAsync(http);
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(silo.BaseAddress, "/hubs/room"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(session.Token))
                .Build();
            var connection = new RoomConnection(hub);
            await hub.StartAsync();
            return connection;
        }

        public async Task<RoomSnapshot> NextUpdateAsync(Func<RoomSnapshot, bool> until)
        {
            using var timeout = new CancellationTokenSource(PushTimeout);
            while (true)
            {
                var update = await _updates.Reader.ReadAsync(timeout.Token);
                if (until(update))
                {
                    return update;
                }
            }
        }

        public ValueTask DisposeAsync() => Hub.DisposeAsync();
    }
}
