using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using MoodGrains.Grains.Rooms;
using MoodGrains.Grains.Users;
using MoodGrains.Playback;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Operations;
using MoodGrains.Server.Options;
using MoodGrains.Server.Persistence;
using MoodGrains.Server.Rooms;
using MoodGrains.Storage.Rooms;
using Orleans.Configuration;
using Orleans.Storage;

namespace MoodGrains.Server.Extensions;

internal static class OrleansExtensions
{
    private const string Invariant = "Npgsql";

    /// <summary>
    /// A silo co-hosted with the web app: membership, grain state and reminders in PostgreSQL, so that any number of
    /// hosts started against the same database form one cluster.
    /// </summary>
    public static WebApplicationBuilder AddMoodGrainsSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddMoodGrainsOptions<PostgresOptions>(PostgresOptions.Section);
        builder.Services.AddSingleton<PostgresPools>();
        builder.Services.AddSingleton<PostgresRetry>();
        builder.Services.AddHostedService<PostgresRestartWatch>();
        builder.Services.AddMoodGrainsOptions<ClusterSiloOptions>(ClusterSiloOptions.Section);
        builder.Services.AddMoodGrainsOptions<MoodOptions>(MoodOptions.Section);
        // Read from configuration as it stands, not through the validated options: the host reads HostOptions while
        // it is built, before the options are validated and reported (a bad value here is reported then, too).
        var shutdown = builder.Configuration.GetSection(ClusterSiloOptions.Section)[nameof(ClusterSiloOptions.ShutdownTimeout)];
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout =
            TimeSpan.TryParse(shutdown, CultureInfo.InvariantCulture, out var timeout) ? timeout : new ClusterSiloOptions().ShutdownTimeout);
        builder.Services.AddHostedService<StopDeadline>();
        builder.Services.AddMoodGrainsOptions<RoomPlanOptions>(RoomPlanOptions.Section);
        builder.Services.AddMoodGrainsOptions<RoomLimitOptions>(RoomLimitOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RoomBroadcaster>();
        builder.Services.AddSingleton<RoomSubscriptions>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RoomSubscriptions>());
        builder.Services.AddSingleton<IRoomNotifier, SignalRRoomNotifier>();
        builder.Services.AddSingleton<GrainCalls>();
        builder.Services.AddSingleton<RoomPresenceReporter>();
        builder.Services.AddSingleton<ITrackCatalog, PostgresTrackCatalog>();
        builder.Services.AddSingleton<IListeningLog, PostgresListeningLog>();
        builder.Services.AddSingleton<IRoomRecommender, HybridRoomRecommender>();
        builder.Services.AddSingleton<RoomDirectoryRepository>();
        builder.Services.AddSingleton<IRoomDirectory, PostgresRoomDirectory>();
        builder.Services.AddSingleton<SpotifyRoomPlayer>();
        builder.Services.AddSingleton<IRoomPlaybackOutput>(sp => sp.GetRequiredService<SpotifyRoomPlayer>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SpotifyRoomPlayer>());
        builder.Services.AddSingleton<SpotifyListeningCheck>();
        builder.Services.AddSingleton<RoomPorts>();

        // Orleans' own options are filled from ours when they are first read, so they see the validated values.
        builder.UseOrleans(orleans =>
        {
            orleans.Services.AddOptions<ClusterOptions>().Configure<IOptions<ClusterSiloOptions>>((o, silo) =>
            {
                o.ClusterId = silo.Value.ClusterId;
                o.ServiceId = silo.Value.ServiceId;
            });
            orleans.Services.AddOptions<EndpointOptions>().Configure<IOptions<ClusterSiloOptions>>((o, options) =>
            {
                var silo = options.Value;
                var (advertised, listen) = ResolveAddresses(silo.AdvertisedAddress);
                o.AdvertisedIPAddress = advertised;
                o.SiloPort = silo.SiloPort;
                o.GatewayPort = silo.GatewayPort;
                o.SiloListeningEndpoint = new IPEndPoint(listen, silo.SiloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(listen, silo.GatewayPort);
            });
            orleans.UseAdoNetClustering(b => b.Configure<IOptions<PostgresOptions>>((o, postgres) =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = PostgresPools.WithSiloDefaults(postgres.Value.ConnectionString);
            }));
            orleans.UseSystemTextJsonGrainStorageSerializer();
            foreach (var store in new[] { "rooms", "users" })
            {
                orleans.AddAdoNetGrainStorage(store, b => b.Configure<IOptions<PostgresOptions>>((o, postgres) =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = PostgresPools.WithSiloDefaults(postgres.Value.ConnectionString);
                }));
                // Registered after the provider, so this wrapper is what grains and the silo lifecycle resolve.
                orleans.Services.AddKeyedSingleton<IGrainStorage>(store, (sp, _) => new RetryingGrainStorage(
                    AdoNetGrainStorageFactory.Create(sp, store), store, sp.GetRequiredService<PostgresRetry>()));
            }

            orleans.UseAdoNetReminderService(b => b.Configure<IOptions<PostgresOptions>>((o, postgres) =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = PostgresPools.WithSiloDefaults(postgres.Value.ConnectionString);
            }));

            // Failure detection for a small cluster on one network. Orleans' defaults (three missed 5 s probes, two
            // votes) measured 12-30 s before a room came back; one missed-probe pair of 1 s by a single peer (the
            // earlier setting) evicted silos that a GC pause or a frame flood on 2 cores stalled for two seconds.
            // Several probes and, where there are enough silos, two votes; indirect probes through a third silo keep
            // one peer's trouble from condemning a healthy silo. See ClusterSiloOptions.ProbeTimeout.
            orleans.Services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<ClusterSiloOptions>>((o, options) =>
            {
                var detection = options.Value;
                o.ProbeTimeout = detection.ProbeTimeout;
                o.NumMissedProbesLimit = detection.MissedProbesLimit;
                o.NumVotesForDeathDeclaration = detection.VotesForDeath;
                o.EnableIndirectProbes = true;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10) + detection.ProbeTimeout * detection.MissedProbesLimit;
            });
            orleans.Services.AddOptions<SiloMessagingOptions>().Configure<IOptions<ClusterSiloOptions>>((o, silo) =>
            {
                o.ResponseTimeout = silo.Value.ResponseTimeout;
                o.SystemResponseTimeout = silo.Value.ResponseTimeout;
            });
        });
        return builder;
    }

    /// <summary>
    /// A fixed address listens on that address only (loopback by default). "auto" (containers) advertises the
    /// machine's first IPv4 address and listens on all of them.
    /// </summary>
    private static (IPAddress Advertised, IPAddress Listen) ResolveAddresses(string configured)
    {
        if (!string.Equals(configured, "auto", StringComparison.OrdinalIgnoreCase))
        {
            var address = IPAddress.Parse(configured);
            return (address, address);
        }

        var host = Dns.GetHostAddresses(Dns.GetHostName())
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? throw new InvalidOperationException(ClusterSiloOptions.Section + ":AdvertisedAddress is 'auto' but this machine has no non-loopback IPv4 address.");
        return (host, IPAddress.Any);
    }
}
