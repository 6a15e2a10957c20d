namespace MoodGrains.Server.Extensions;

internal static class ConfigurationExtensions
{
    /// <summary>
    /// The short environment variables the README documents, mapped onto configuration keys. They win over
    /// appsettings.json and the long <c>MoodGrains__Xxx__Yyy</c> variables; command-line switches win over them.
    /// </summary>
    private static readonly (string Variable, string Key)[] EnvironmentAliases =
    [
        ("MOODGRAINS_POSTGRES", "MoodGrains:Postgres:ConnectionString"),
        ("MOODGRAINS_REDIS", "MoodGrains:Redis:ConnectionString"),
        ("MOODGRAINS_SESSION_KEY", "MoodGrains:Session:SigningKey"),
        ("MOODGRAINS_SILO_PORT", "MoodGrains:Silo:SiloPort"),
        ("MOODGRAINS_GATEWAY_PORT", "MoodGrains:Silo:GatewayPort"),
        ("MOODGRAINS_CLUSTER_ID", "MoodGrains:Silo:ClusterId"),
        ("MOODGRAINS_SPOTIFY_CLIENT_ID", "MoodGrains:Spotify:ClientId"),
        ("MOODGRAINS_SPOTIFY_REDIRECT_URI", "MoodGrains:Spotify:RedirectUri"),
        ("MOODGRAINS_DATA_PROTECTION_KEYS", "MoodGrains:DataProtection:KeyDirectory"),
        ("MOODGRAINS_LIBRARY", "MoodGrains:Library:Directory"),
    ];

    /// <summary>Command-line switches for running several silos side by side.</summary>
    private static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--silo-port"] = "MoodGrains:Silo:SiloPort",
        ["--gateway-port"] = "MoodGrains:Silo:GatewayPort",
        ["--cluster-id"] = "MoodGrains:Silo:ClusterId",
        ["--postgres"] = "MoodGrains:Postgres:ConnectionString",
        ["--redis"] = "MoodGrains:Redis:ConnectionString",
    };

    public static WebApplicationBuilder AddMoodGrainsConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        var aliases = new Dictionary<string, string?>();
        foreach (var (variable, key) in EnvironmentAliases)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                aliases[key] = value;
            }
        }

        builder.Configuration.AddInMemoryCollection(aliases);
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        return builder;
    }
}
