using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Operations;
using MoodGrains.Server.Options;
using Npgsql;

namespace MoodGrains.Server.Extensions;

internal static class ContainerHostingExtensions
{
    /// <summary>
    /// What a silo needs when it runs as one of many containers: with <c>MoodGrains:DataProtection:KeysInPostgres</c>
    /// the key ring lives in PostgreSQL, and with <c>MoodGrains:Kubernetes:Enabled</c> the silo takes its identity from
    /// its pod and removes the membership of pods that are gone (Microsoft.Orleans.Hosting.Kubernetes).
    /// Call after <c>AddMusic</c>, which sets up Data Protection: the repository set here replaces its key folder.
    /// </summary>
    public static WebApplicationBuilder AddMoodGrainsContainerHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddMoodGrainsOptions<KubernetesHostingOptions>(KubernetesHostingOptions.Section);
        if (builder.Configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>()?.KeysInPostgres == true)
        {
            builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
                new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>())));
        }

        if (builder.Configuration.GetSection(KubernetesHostingOptions.Section).Get<KubernetesHostingOptions>()?.Enabled == true)
        {
            builder.UseOrleans(orleans => orleans.UseKubernetesHosting());
        }

        return builder;
    }
}
