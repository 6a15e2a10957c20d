using System.Net;
using MoodGrains.Grains.Rooms;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Options;
using Orleans.Configuration;

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
        builder.Services.AddValidatedOptions<PostgresOptions>(PostgresOptions.Section);
        builder.Services.AddValidatedOptions<ClusterSiloOptions>(ClusterSiloOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IRoomNotifier, SignalRRoomNotifier>();
        builder.Services.AddSingleton<GrainCalls>();

        var postgres = builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();
        var silo = builder.Configuration.GetSection(ClusterSiloOptions.Section).Get<ClusterSiloOptions>() ?? new ClusterSiloOptions();
        var connectionString = postgres.ConnectionString;

        builder.UseOrleans(orleans =>
        {
            orleans.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = silo.ClusterId;
                o.ServiceId = silo.ServiceId;
            });
            orleans.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = IPAddress.Parse(silo.AdvertisedAddress);
                o.SiloPort = silo.SiloPort;
                o.GatewayPort = silo.GatewayPort;
                o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Parse(silo.AdvertisedAddress), silo.SiloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Parse(silo.AdvertisedAddress), silo.GatewayPort);
            });
            orleans.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
            orleans.UseSystemTextJsonGrainStorageSerializer();
            foreach (var store in new[] { "rooms", "users" })
            {
                orleans.AddAdoNetGrainStorage(store, o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                });
            }

            orleans.UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });

            // Failure detection tuned for a small cluster on one network: a silo killed with SIGKILL is declared dead
            // after two missed 1 s probes by a single peer, instead of Orleans' defaults (three missed 5 s probes, two votes),
            // which measured 12-30 s before a room came back.
            orleans.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
            });
            orleans.Configure<SiloMessagingOptions>(o =>
            {
                o.ResponseTimeout = silo.ResponseTimeout;
                o.SystemResponseTimeout = silo.ResponseTimeout;
            });
        });
        return builder;
    }

    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
