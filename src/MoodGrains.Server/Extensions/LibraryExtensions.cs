using Microsoft.Extensions.DependencyInjection.Extensions;
using MoodGrains.Audio.Analysis;
using MoodGrains.Music.Library;
using MoodGrains.Server.Library;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Server.Extensions;

public static class LibraryExtensions
{
    /// <summary>
    /// The music library the server streams: options (<c>MoodGrains:Library</c>, env <c>MOODGRAINS_LIBRARY</c>), the
    /// scanner and its start-up scan, and the signed media URLs. With no directory set, no track has audio.
    /// </summary>
    public static IServiceCollection AddMusicLibrary(this IServiceCollection services)
    {
        services.AddMoodGrainsOptions<LibraryOptions>(LibraryOptions.Section).ValidateWith<LibraryOptions, LibraryOptionsValidator>();
        services.TryAddSingleton<LibraryRepository>();
        // No mood map: the catalogue stores the features, and the recommender maps them itself.
        services.TryAddSingleton(new AudioAnalyzer());
        services.TryAddSingleton<LibraryScanner>();
        services.TryAddSingleton<MediaUrls>();
        services.AddHostedService<LibraryScanService>();
        return services;
    }
}
