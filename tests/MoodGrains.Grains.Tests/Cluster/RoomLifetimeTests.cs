using Microsoft.Extensions.DependencyInjection;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Grains.Users;
using Orleans.TestingHost;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>
/// A cluster of its own with rooms that end within seconds and small queue caps, and a catalogue whose searches for
/// "slow ..." wait until the test lets them finish (as a scan of a large table took a while), so searches can be seen
/// not to hold up their room.
/// </summary>
public sealed class ShortLivedRoomsFixture : IAsyncLifetime
{
    public static readonly TimeSpan CloseWhenEmptyFor = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan FreeCodeAfter = TimeSpan.FromSeconds(2);

    public static readonly RoomLimitOptions Limits = new()
    {
        MaxQueuedPerMember = 3,
        MaxQueue = 5,
        CloseWhenEmptyFor = CloseWhenEmptyFor,
        FreeCodeAfter = FreeCodeAfter,
    };

    public InMemoryPorts Ports { get; } = new();

    public SlowCatalog Catalog { get; private set; } = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        Catalog = new SlowCatalog(Ports);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseSystemTextJsonGrainStorageSerializer();
            silo.AddMemoryGrainStorage("rooms");
            silo.AddMemoryGrainStorage("users");
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<IRoomNotifier>(Ports);
            silo.Services.AddSingleton<IRoomRecommender>(Ports);
            silo.Services.AddSingleton<ITrackCatalog>(Catalog);
            silo.Services.AddSingleton<IListeningLog>(Ports);
            silo.Services.AddSingleton<IRoomDirectory>(Ports);
            silo.Services.AddSingleton<IRoomPlaybackOutput>(Ports);
            silo.Services.AddSingleton<RoomPorts>();
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddOptions<MoodOptions>();
            silo.Services.AddOptions<RoomPlanOptions>().Configure(o => o.PresenceGrace = TimeSpan.FromSeconds(1));
            silo.Services.AddOptions<RoomLimitOptions>().Configure(o =>
            {
                o.MaxQueuedPerMember = Limits.MaxQueuedPerMember;
                o.MaxQueue = Limits.MaxQueue;
                o.CloseWhenEmptyFor = Limits.CloseWhenEmptyFor;
                o.FreeCodeAfter = Limits.FreeCodeAfter;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public IRoomGrain Room(string code) => Grains.GetGrain<IRoomGrain>(code);

    /// <summary>The in-memory catalogue, with searches starting "slow" held until <see cref="ReleaseSlowSearches"/>.</summary>
    public sealed class SlowCatalog(ITrackCatalog inner) : ITrackCatalog
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;

        public int Running => Volatile.Read(ref _running);

        public void ReleaseSlowSearches() => _release.TrySetResult();

        public Task<TrackInfo?> FindAsync(long trackId, CancellationToken cancellationToken) => inner.FindAsync(trackId, cancellationToken);

        public async Task<IReadOnlyList<TrackInfo>> SearchAsync(string query, int limit, CancellationToken cancellationToken)
        {
            if (!query.StartsWith("slow", StringComparison.Ordinal))
            {
                return await inner.SearchAsync(query, limit, cancellationToken);
            }

            Interlocked.Increment(ref _running);
            try
            {
                await _release.Task.WaitAsync(cancellationToken);
                return await inner.SearchAsync(query[4..].Trim(), limit, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ShortLivedRoomsCollection : ICollectionFixture<ShortLivedRoomsFixture>
{
    public const string Name = "short-lived rooms";
}

/// <summary>Rooms end, the queue's total cap, and searches beside the room.</summary>
[Collection(ShortLivedRoomsCollection.Name)]
public sealed class RoomLifetimeTests(ShortLivedRoomsFixture cluster)
{
    [Fact]
    public async Task A_room_everyone_left_closes_after_the_idle_period_and_its_code_is_freed_later()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(guest, "Bob");
        await room.LeaveAsync(guest);
        var empty = await room.LeaveAsync(host);
        Assert.Empty(empty.Members);

        // Within the idle period it is an ordinary (empty) room: anyone may come back.
        var back = await room.JoinAsync(guest, "Bob");
        Assert.Equal([guest], back.Members.Select(m => m.UserId));
        await room.LeaveAsync(guest);

        await Task.Delay(ShortLivedRoomsFixture.CloseWhenEmptyFor + TimeSpan.FromSeconds(0.5));
        Assert.Equal(RoomError.RoomClosed, (await Assert.ThrowsAsync<RoomException>(() => room.JoinAsync(guest, "Bob"))).Error);
        Assert.Equal(RoomError.RoomClosed, (await Assert.ThrowsAsync<RoomException>(() => room.GetSnapshotAsync())).Error);
        // Closed, its code is still taken: a new room drawing it must draw another.
        Assert.Equal(RoomError.RoomExists, (await Assert.ThrowsAsync<RoomException>(() => room.CreateAsync(guest, "Bob", isSolo: false))).Error);

        await Task.Delay(ShortLivedRoomsFixture.FreeCodeAfter + TimeSpan.FromSeconds(0.5));
        var reborn = await room.CreateAsync(guest, "Bob", isSolo: false);
        Assert.Equal(guest, reborn.HostUserId);
        Assert.Equal([guest], reborn.Members.Select(m => m.UserId));
        Assert.Empty(reborn.Removed);
    }

    [Fact]
    public async Task A_room_whose_members_all_went_away_pauses_logs_no_plays_and_closes_by_itself()
    {
        var (code, host) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        var playing = (await room.PlayAsync(host)).NowPlaying!;
        // The track would end two seconds from now, with nobody there to hear it.
        await room.SeekAsync(host, playing.Entry.Track.DurationMs - 2_000);
        await room.ConnectionsChangedAsync(host, "silo-a", 1);
        await room.ConnectionsChangedAsync(host, "silo-a", 0);

        // Nothing calls the room from here on: its own reminder closes it, and the host is in no room any more.
        var user = cluster.Grains.GetGrain<MoodGrains.Abstractions.Users.IUserGrain>(host);
        Assert.Equal(code, (await user.GetProfileAsync()).CurrentRoom);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await user.GetProfileAsync()).CurrentRoom is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Null((await user.GetProfileAsync()).CurrentRoom);
        Assert.Empty(cluster.Ports.Plays(code));
        Assert.Equal(RoomError.RoomClosed, (await Assert.ThrowsAsync<RoomException>(() => room.GetSnapshotAsync())).Error);
        var last = cluster.Ports.Snapshots(code)[^1];
        Assert.Equal([host], last.Away);
        Assert.Equal(PlaybackState.Paused, last.NowPlaying!.State);
        Assert.Equal(playing.Entry.EntryId, last.NowPlaying.Entry.EntryId);
    }

    [Fact]
    public async Task The_queue_holds_at_most_its_total_cap_of_additions()
    {
        var (code, host, bob, cy) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        await room.JoinAsync(bob, "Bob");
        await room.JoinAsync(cy, "Cy");
        var tracks = cluster.Ports.Tracks;

        for (var i = 0; i < 3; i++)
        {
            await room.AddTrackAsync(bob, tracks[i].TrackId);
        }

        Assert.Equal(RoomError.QueueFull, (await Assert.ThrowsAsync<RoomException>(() => room.AddTrackAsync(bob, tracks[3].TrackId))).Error);
        await room.AddTrackAsync(cy, tracks[4].TrackId);
        var full = await room.AddTrackAsync(cy, tracks[5].TrackId);
        Assert.Equal(ShortLivedRoomsFixture.Limits.MaxQueue, full.Queue.Count(e => !e.IsPlanned));

        foreach (var (who, track) in new[] { (cy, tracks[6]), (host, tracks[7]) })
        {
            var refused = await Assert.ThrowsAsync<RoomException>(() => room.AddTrackAsync(who, track.TrackId));
            Assert.Equal(RoomError.QueueFull, refused.Error);
            Assert.StartsWith($"The queue is full ({ShortLivedRoomsFixture.Limits.MaxQueue} tracks)", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(full.Version, (await room.GetSnapshotAsync()).Version);
    }

    [Fact]
    public async Task A_room_carries_on_while_its_members_searches_run()
    {
        var (code, host, guest) = (ClusterFixture.NewRoomCode(), ClusterFixture.NewUserId(), ClusterFixture.NewUserId());
        var room = cluster.Room(code);
        await room.CreateAsync(host, "Ann", isSolo: false);
        var search = cluster.Grains.GetGrain<ITrackSearchGrain>(0);

        var searches = Enumerable.Range(0, 8).Select(_ => search.SearchAsync(code, host, "slow love")).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (cluster.Catalog.Running == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(cluster.Catalog.Running > 0, "No search started.");
        // The searches hold until released below: had they held up the room, its answers would not come within 20 s.
        try
        {
            var playing = await JoinAndPlayAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.NotNull(playing.NowPlaying);
            Assert.All(searches, s => Assert.False(s.IsCompleted));
        }
        finally
        {
            cluster.Catalog.ReleaseSlowSearches();
        }

        foreach (var found in await Task.WhenAll(searches))
        {
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"Love song {i}"), found.Select(t => t.Title));
        }

        async Task<RoomSnapshot> JoinAndPlayAsync()
        {
            await room.JoinAsync(guest, "Bob");
            return await room.PlayAsync(host);
        }
    }
}
