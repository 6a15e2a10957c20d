using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MoodGrains.Music.Catalog;
using MoodGrains.Music.Features;
using MoodGrains.Music.Spotify;
using MoodGrains.Server.Options;
using MoodGrains.Server.Persistence;
using MoodGrains.Storage.Catalog;
using Npgsql;

namespace MoodGrains.Server.Extensions;

public static class MusicExtensions
{
    /// <summary>
    /// The catalogue (repositories, importer, demo seeder, resolver, learned features) and the Spotify client with
    /// its encrypted token store. Spotify stays off unless <c>MoodGrains:Spotify:ClientId</c>
    /// (<c>MOODGRAINS_SPOTIFY_CLIENT_ID</c>) is set.
    /// After building the app, call <c>DemoCatalogSeeder.SeedIfEmptyAsync</c> once the migrations ran.
    /// </summary>
    public static IServiceCollection AddMusic(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(PostgresPools.WithSiloDefaults(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString)));
        services.TryAddSingleton<TrackRepository>();
        services.TryAddSingleton<TrackResolutionRepository>();
        services.TryAddSingleton<LearnedMoodRepository>();
        services.TryAddSingleton<SpotifyTokenRepository>();
        services.TryAddSingleton<CatalogImporter>();
        services.TryAddSingleton<DemoCatalogSeeder>();
        // Transient: it holds the typed Spotify HttpClient, which must not be captured by a singleton.
        services.TryAddTransient<CatalogTrackResolver>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrackFeatureSource, LearnedMoodFeatureSource>());
        services.AddMusicLibrary();

        // Tokens are encrypted with the Data Protection key ring (see KeyRingOptions for where it is kept).
        services.AddDataProtection().SetApplicationName("MoodGrains");
        services.AddMoodGrainsOptions<KeyRingOptions>(KeyRingOptions.Section);
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<KeyRingOptions>, ILoggerFactory>((o, keyRing, loggers) =>
        {
            if (!string.IsNullOrWhiteSpace(keyRing.Value.KeyDirectory))
            {
                o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(keyRing.Value.KeyDirectory), loggers);
            }
        });

        services.AddSingleton<ISpotifyTokenStore, ProtectedSpotifyTokenStore>();
        services.AddSpotify(options => configuration.GetSection(SpotifyOptions.Section).Bind(options));
        return services;
    }
}
