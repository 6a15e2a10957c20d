using Microsoft.Extensions.DependencyInjection;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;
using MoodGrains.Grains.Rooms;
using MoodGrains.Grains.Users;
using Orleans.Storage;
using Orleans.TestingHost;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>
/// One in-process Orleans cluster for every grain test in the assembly: memory grain storage and reminders, the
/// room ports in memory. Starting it takes about a second; tests keep apart by using their own room codes and users.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan FirstTrackWindow = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan PresenceGrace = TimeSpan.FromSeconds(1);

    public static int PlanDepth => new RoomPlanOptions().PlanDepth;

    public InMemoryPorts Ports { get; } = new();

    public StorageFaults StorageFaults { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseSystemTextJsonGrainStorageSerializer();
            // Memory storage behind a wrapper whose writes a test can make fail.
            silo.AddMemoryGrainStorage("rooms-memory");
            silo.AddMemoryGrainStorage("users-memory");
            silo.Services.AddKeyedSingleton<IGrainStorage>("rooms", (sp, _) => new FaultyGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>("rooms-memory"), StorageFaults));
            silo.Services.AddKeyedSingleton<IGrainStorage>("users", (sp, _) => new FaultyGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>("users-memory"), StorageFaults));
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<IRoomNotifier>(Ports);
            silo.Services.AddSingleton<IRoomRecommender>(Ports);
            silo.Services.AddSingleton<ITrackCatalog>(Ports);
            silo.Services.AddSingleton<IListeningLog>(Ports);
            silo.Services.AddSingleton<IRoomDirectory>(Ports);
            silo.Services.AddSingleton<IRoomPlaybackOutput>(Ports);
            silo.Services.AddSingleton<RoomPorts>();
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddOptions<MoodOptions>();
            // Short windows so tests see the first plan, the commit and the away mark within seconds.
            silo.Services.AddOptions<RoomPlanOptions>().Configure(o =>
            {
                o.FirstTrackWindow = FirstTrackWindow;
                o.PresenceGrace = PresenceGrace;
                o.CommitLead = TimeSpan.FromSeconds(3);
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public IRoomGrain Room(string code) => Grains.GetGrain<IRoomGrain>(code);

    /// <summary>A new room whose host picked a mood, so its first plan is made at once (no wait for faces).</summary>
    public async Task<RoomSnapshot> CreatePlannedAsync(string code, string hostUserId, string hostName = "Ann")
    {
        await Room(code).CreateAsync(hostUserId, hostName, isSolo: false);
        await Room(code).SetManualMoodAsync(hostUserId, Mood.Emotion.Happy);
        return await Room(code).GetSnapshotAsync();
    }

    public IUserGrain User(string userId) => Grains.GetGrain<IUserGrain>(userId);

    /// <summary>A member's catalogue search, which runs beside the room (see <c>TrackSearchGrain</c>).</summary>
    public Task<IReadOnlyList<TrackInfo>> Search(string code, string userId, string query) =>
        Grains.GetGrain<ITrackSearchGrain>(0).SearchAsync(code, userId, query);

    public static string NewRoomCode() => RoomCode.NewCode();

    public static string NewUserId() => "u" + Guid.NewGuid().ToString("N")[..12];
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
