using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Operations;
using Npgsql;

namespace MoodGrains.Server.Extensions;

internal static class DataProtectionExtensions
{
    /// <summary>
    /// With <c>MoodGrains:DataProtection:KeysInPostgres</c>, the key ring lives in PostgreSQL (containers, Kubernetes).
    /// Call after <c>AddMusic</c>, which sets up Data Protection: the repository set here replaces its key folder.
    /// </summary>
    public static WebApplicationBuilder AddMoodGrainsKeyRing(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<KeyRingOptions>(KeyRingOptions.Section);
        if (builder.Configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>()?.KeysInPostgres == true)
        {
            builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
                new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>())));
        }

        return builder;
    }
}
