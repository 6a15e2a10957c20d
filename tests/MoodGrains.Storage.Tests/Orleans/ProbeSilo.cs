using System.Net;
using Microsoft.Extensions.Hosting;
using MoodGrains.Hosting.Local;
using Orleans.Configuration;

namespace MoodGrains.Storage.Tests.Orleans;

/// <summary>
/// Builds a real silo on loopback ports with the three PostgreSQL-backed providers, configured the way the
/// server is meant to configure them.
/// </summary>
public static class ProbeSilo
{
    public const string StorageName = "orleans-sql";

    private const string Invariant = "Npgsql";

    public static async Task<IHost> StartAsync(string connectionString, string clusterId)
    {
        var host = new HostBuilder()
            .UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = "moodgrains-tests";
                });
                silo.ConfigureEndpoints(IPAddress.Loopback, FreePort.Next(), FreePort.Next());
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                });
                silo.AddAdoNetGrainStorage(StorageName, o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                });
                // Without this Orleans falls back to its Newtonsoft serializer, which writes "$type" into every row.
                silo.UseSystemTextJsonGrainStorageSerializer();
                silo.UseAdoNetReminderService(o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                });
            })
            .Build();
        await host.StartAsync();
        return host;
    }
}
