using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace MoodGrains.Music.Spotify;

public static partial class SpotifyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Spotify client, token manager and provider. The token store is the caller's choice
    /// (the server registers an encrypted one); an in-memory store is the fallback.
    /// </summary>
    public static IServiceCollection AddSpotify(this IServiceCollection services, Action<SpotifyOptions> configure)
    {
        services.AddOptions<SpotifyOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SpotifyOptions>, SpotifyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISpotifyTokenStore, InMemorySpotifyTokenStore>();
        services.TryAddSingleton<SpotifyTokenManager>();

        // No retries on the accounts service: a code can be exchanged only once, and a refresh that
        // half-succeeded may already have rotated the refresh token.
        services.AddHttpClient<SpotifyAccountsClient>();

        services.AddHttpClient<SpotifyApiClient>()
            .AddResilienceHandler("spotify-api", static (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<SpotifyOptions>>().Value;
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SpotifyApiClient));
                ConfigurePipeline(builder, options, logger);
            });
        services.TryAddTransient<SpotifyMusicProvider>();
        services.TryAddTransient<IMusicProvider>(sp => sp.GetRequiredService<SpotifyMusicProvider>());
        return services;
    }

    internal static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, SpotifyOptions options, ILogger logger)
    {
        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, options.MaxRetries),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            // Retry-After is the server's own schedule; it overrides the back-off when present.
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context, options)),
            OnRetry = args =>
            {
                LogRetry(logger, args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode, args.Outcome.Exception?.GetType().Name,
                    args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = options.CircuitBreakerBreakDuration,
            // A 429 is Spotify working as designed, not Spotify failing: it must not open the circuit.
            ShouldHandle = args => ValueTask.FromResult(IsServerFailure(args.Outcome)),
            OnOpened = args =>
            {
                LogCircuitOpened(logger, args.BreakDuration.TotalSeconds);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(options.AttemptTimeout);
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, SpotifyOptions options)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited)
        {
            // A request refused with 429 was not carried out, so retrying is safe for every method;
            // but a long Retry-After is handed to the caller instead of holding the request open.
            var wait = limited.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
            return wait <= options.MaxRetryAfter;
        }

        if (!IsServerFailure(outcome))
        {
            return false;
        }

        // POST /me/player/queue is not idempotent: after a 5xx the track may already be queued.
        var method = context.GetRequestMessage()?.Method;
        return method != HttpMethod.Post;
    }

    private static bool IsServerFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
        || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify call retry {Attempt} after status {Status} / {Exception}; waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, int attempt, int? status, string? exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spotify keeps failing; calls are paused for {BreakSeconds} s")]
    private static partial void LogCircuitOpened(ILogger logger, double breakSeconds);
}
