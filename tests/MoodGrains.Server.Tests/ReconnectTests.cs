using MoodGrains.Abstractions.Rooms;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>Reconnect and resync, and a room that keeps its playhead across a silo restart mid-track.</summary>
[Collection(ServersCollection.Name)]
public sealed class ReconnectTests(ServersFixture servers)
{
    [Fact]
    public async Task A_client_reconnects_after_a_server_restart_and_resyncs_mid_track()
    {
        var database = await servers.Postgres.CreateDatabaseAsync("reconnect");
        var silo = await SiloProcess.StartAsync(database, clusterId: "reconnect");
        var port = silo.HttpPort;
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = await RoomConnection.ConnectAsync(silo, autoReconnect: true);
        client.Hub.Reconnected += _ =>
        {
            reconnected.TrySetResult();
            return Task.CompletedTask;
        };

        var room = await client.InvokeAsync("CreateRoom", "Ann", false);
        var playing = await client.InvokeAsync("Play", room.Code);
        await client.InvokeAsync("Seek", room.Code, 60_000);

        await silo.StopAsync();
        await silo.DisposeAsync();
        // Only a reconnect after the old process is gone counts: during its graceful shutdown the client may briefly
        // reconnect to it and be dropped again.
        reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var restarted = await SiloProcess.StartAsync(database, clusterId: "reconnect", httpPort: port);
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(120));

        var resynced = await client.InvokeAsync("ResumeRoom", room.Code);
        Assert.Equal(playing.NowPlaying!.Entry.EntryId, resynced.NowPlaying!.Entry.EntryId);
        Assert.Equal(PlaybackState.Playing, resynced.NowPlaying.State);
        // The playhead kept running on the server clock while the silo was down.
        var position = resynced.NowPlaying.PositionAt(resynced.ServerMs);
        Assert.InRange(position, 60_000, 60_000 + 120_000);

        // The connection serves room traffic again: pushes arrive after the resync.
        await client.InvokeAsync("Pause", room.Code);
        var paused = await client.NextUpdateAsync(s => s.NowPlaying?.State == PlaybackState.Paused);
        Assert.Equal(resynced.NowPlaying.Entry.EntryId, paused.NowPlaying!.Entry.EntryId);
    }
}
