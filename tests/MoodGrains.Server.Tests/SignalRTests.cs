using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>Real .NET SignalR clients over real sockets receiving room pushes across two silos over Redis.</summary>
[Collection(ServersCollection.Name)]
public sealed class SignalRTests(ServersFixture servers)
{
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

    [Fact]
    public async Task A_removed_member_stops_receiving_the_rooms_pushes_on_every_silo()
    {
        var database = await servers.Postgres.CreateDatabaseAsync("revoke");
        await using var a = await SiloProcess.StartAsync(database, servers.Redis.ConnectionString, clusterId: "revoke");
        await using var b = await SiloProcess.StartAsync(database, servers.Redis.ConnectionString, clusterId: "revoke");
        await using var host = await RoomConnection.ConnectAsync(a);
        await using var stays = await RoomConnection.ConnectAsync(b);
        await using var removed = await RoomConnection.ConnectAsync(b);
        var removedNotice = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        removed.Hub.On<string>("RemovedFromRoom", code => removedNotice.TrySetResult(code));
        var room = await host.InvokeAsync("CreateRoom", "Ann", false);
        await stays.InvokeAsync("JoinRoom", room.Code, "Bob");
        await removed.InvokeAsync("JoinRoom", room.Code, "Cy");

        await host.InvokeAsync("RemoveMember", room.Code, removed.Session.UserId);
        Assert.Equal(room.Code, await removedNotice.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var played = await host.InvokeAsync("Play", room.Code);

        // Bob's connection sits on the same silo as Cy's: once Bob has the push, Cy's would have been written before
        // the answer to Cy's next call, so after that call nothing of the room may have reached Cy.
        await stays.NextUpdateAsync(s => s.Version >= played.Version);
        await removed.Hub.InvokeAsync<JsonElement>("Ping", 0L);
        Assert.DoesNotContain(removed.DrainUpdates(), s => s.Version >= played.Version);

        // Re-subscribing is refused: the removed member is not in the room any more.
        var resume = await Assert.ThrowsAsync<HubException>(() => removed.InvokeAsync("ResumeRoom", room.Code));
        Assert.Contains(nameof(RoomError.NotMember), resume.Message, StringComparison.Ordinal);
    }
}
