using MoodGrains.Server.Privacy;
using MoodGrains.Server.Recommendations;
using MoodGrains.Storage.Listening;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MoodGrains.Server.Extensions;

public static class RecommendationsExtensions
{
    /// <summary>
    /// The recommender: options from <c>MoodGrains:Recommendations</c> (validated at start-up), the serving holder, the
    /// listening-event repository and the periodic training service. Expects an NpgsqlDataSource in DI.
    /// </summary>
    public static IHostApplicationBuilder AddRecommendations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMoodGrainsOptions<RecommendationsOptions>(RecommendationsOptions.Section)
            .ValidateWith<RecommendationsOptions, RecommendationsOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ListeningEventRepository>();
        builder.Services.AddSingleton<RecommenderHolder>();
        // One instance, so the library scan can ask for a retraining when it adds tracks.
        builder.Services.AddSingleton<RecommenderTrainingService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RecommenderTrainingService>());
        // The plays the recommender reads keep full emotion probabilities only for the retention period.
        builder.Services.AddMoodGrainsOptions<RetentionOptions>(RetentionOptions.Section);
        builder.Services.AddHostedService<ListeningRetentionService>();
        return builder;
    }
}
