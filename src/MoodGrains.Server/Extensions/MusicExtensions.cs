using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MoodGrains.Music.Catalog;
using MoodGrains.Music.Features;
using MoodGrains.Music.Spotify;
using MoodGrains.Server.Options;
using MoodGrains.Storage.Catalog;
using Npgsql;

namespace MoodGrains.Server.Extensions;

public static class MusicExtensions
{
    /// <summary>Configuration section of <see cref="SpotifyOptions"/>; the two environment variables below override it.</summary>
    public const string SpotifySection = "MoodGrains:Spotify";

    /// <summary>
    /// The catalogue (repositories, importer, demo seeder, resolver, learned features) and the Spotify client with
    /// its encrypted token store. Spotify stays off unless <c>MOODGRAINS_SPOTIFY_CLIENT_ID</c> is set.
    /// After building the app, call <c>DemoCatalogSeeder.SeedIfEmptyAsync</c> once the migrations ran.
    /// </summary>
    public static IServiceCollection AddMusic(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString));
        services.TryAddSingleton<TrackRepository>();
        services.TryAddSingleton<TrackResolutionRepository>();
        services.TryAddSingleton<LearnedMoodRepository>();
        services.TryAddSingleton<SpotifyTokenRepository>();
        services.TryAddSingleton<CatalogImporter>();
        services.TryAddSingleton<DemoCatalogSeeder>();
        // Transient: it holds the typed Spotify HttpClient, which must not be captured by a singleton.
        services.TryAddTransient<CatalogTrackResolver>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITrackFeatureSource, LearnedMoodFeatureSource>());

        // Tokens are encrypted with the Data Protection key ring. Silos on one machine share the default key folder;
        // across machines (or containers) point MOODGRAINS_DATA_PROTECTION_KEYS at a shared folder, or logins made on one
        // silo cannot be read on another (users then simply connect Spotify again).
        var dataProtection = services.AddDataProtection().SetApplicationName("MoodGrains");
        var keys = configuration["MOODGRAINS_DATA_PROTECTION_KEYS"];
        if (!string.IsNullOrWhiteSpace(keys))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        services.AddSingleton<ISpotifyTokenStore, ProtectedSpotifyTokenStore>();
        services.AddSpotify(options =>
        {
            configuration.GetSection(SpotifySection).Bind(options);
            if (configuration["MOODGRAINS_SPOTIFY_CLIENT_ID"] is { Length: > 0 } clientId)
            {
                options.ClientId = clientId;
            }

            if (configuration["MOODGRAINS_SPOTIFY_REDIRECT_URI"] is { Length: > 0 } redirect)
            {
                options.RedirectUri = Uri.TryCreate(redirect, UriKind.Absolute, out var uri) ? uri : new Uri(redirect, UriKind.Relative);
            }
        });
        return services;
    }
}
