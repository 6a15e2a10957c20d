using MoodGrains.Server.Recommendations;
using MoodGrains.Storage.Listening;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MoodGrains.Server.Extensions;

public static class RecommendationsExtensions
{
    /// <summary>
    /// The recommender: options from "Recommendations" (validated at start-up), the serving holder, the
    /// listening-event repository and the periodic training service. Expects an NpgsqlDataSource in DI.
    /// </summary>
    public static IHostApplicationBuilder AddRecommendations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecommendationsOptions>()
            .Bind(builder.Configuration.GetSection(RecommendationsOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RecommendationsOptions>, RecommendationsOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ListeningEventRepository>();
        builder.Services.AddSingleton<RecommenderHolder>();
        builder.Services.AddHostedService<RecommenderTrainingService>();
        return builder;
    }

    private sealed class RecommendationsOptionsValidator : IValidateOptions<RecommendationsOptions>
    {
        public ValidateOptionsResult Validate(string? name, RecommendationsOptions options)
        {
            var errors = options.Validate().ToArray();
            return errors.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
