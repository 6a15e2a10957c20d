using Microsoft.Extensions.Options;
using MoodGrains.Recommendations.Collaborative;
using MoodGrains.Recommendations.Hybrid;

namespace MoodGrains.Server.Recommendations;

/// <summary>
/// How the server trains and serves its recommender. Bound from <c>MoodGrains:Recommendations</c>. The model's own
/// defaults (ALS factors, regularisation, alpha, iterations; the room's aggregation and artist limit) are the
/// libraries' <see cref="ImplicitAlsOptions"/> and <see cref="HybridOptions"/>, so they are written in one place.
/// </summary>
public sealed class RecommendationsOptions
{
    public const string Section = "MoodGrains:Recommendations";

    private static readonly ImplicitAlsOptions Als = new();
    private static readonly HybridOptions Hybrid = new();

    /// <summary>How often the model is retrained from listening_events (it is also trained once at start-up).</summary>
    public TimeSpan RetrainInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Only plays newer than this train the model; null trains on the whole history.</summary>
    public TimeSpan? HistoryWindow { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Rows fetched per round trip while streaming listening_events.</summary>
    public int ReadBatchSize { get; set; } = 50_000;

    public int Factors { get; set; } = Als.Factors;

    public float Regularization { get; set; } = Als.Regularization;

    public float Alpha { get; set; } = Als.Alpha;

    public int Iterations { get; set; } = Als.Iterations;

    public GroupAggregation Aggregation { get; set; } = Hybrid.Aggregation;

    public int MaxPerArtist { get; set; } = Hybrid.MaxPerArtist;

    /// <summary>The ALS settings the training service hands to the library.</summary>
    public ImplicitAlsOptions ToAlsOptions() =>
        Als with { Factors = Factors, Regularization = Regularization, Alpha = Alpha, Iterations = Iterations };
}

/// <summary>Start-up validation with messages that name the configuration key to fix.</summary>
public sealed class RecommendationsOptionsValidator : IValidateOptions<RecommendationsOptions>
{
    private const string Key = RecommendationsOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, RecommendationsOptions options)
    {
        var failures = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(message);
            }
        }

        Check(options.RetrainInterval >= TimeSpan.FromMinutes(1), $"{Key}RetrainInterval must be at least 00:01:00.");
        Check(options.HistoryWindow is not { } window || window > TimeSpan.Zero, $"{Key}HistoryWindow must be positive (or absent for the whole history).");
        Check(options.ReadBatchSize >= 100, $"{Key}ReadBatchSize must be at least 100.");
        Check(options.Factors is >= 4 and <= 512, $"{Key}Factors must be between 4 and 512.");
        Check(options.Iterations >= 1, $"{Key}Iterations must be at least 1.");
        Check(options.Regularization >= 0, $"{Key}Regularization must not be negative.");
        Check(options.Alpha > 0, $"{Key}Alpha must be positive.");
        Check(Enum.IsDefined(options.Aggregation), $"{Key}Aggregation must be one of {string.Join(", ", Enum.GetNames<GroupAggregation>())}.");
        Check(options.MaxPerArtist >= 1, $"{Key}MaxPerArtist must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
