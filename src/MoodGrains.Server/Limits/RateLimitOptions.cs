using System.Reflection;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MoodGrains.Server.Limits;

/// <summary>
/// One token bucket: <see cref="Limit"/> requests at once, refilled at <see cref="PerMinute"/> a minute. A client that
/// empties it is answered 429 (HTTP) or <c>TooFast</c> (hub) with how long to wait.
/// </summary>
public sealed class TokenBucket
{
    public int Limit { get; set; }

    public int PerMinute { get; set; }

    public TokenBucketRateLimiterOptions ToLimiterOptions()
    {
        // Whole tokens on a period of at most a second, so a bucket refills smoothly rather than once a minute.
        var (tokens, period) = PerMinute >= 60
            ? ((int)Math.Ceiling(PerMinute / 60.0), TimeSpan.FromSeconds(1))
            : (1, TimeSpan.FromMinutes(1) / PerMinute);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Limit,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}

/// <summary>
/// Abuse limits at the server's edge, bound from <c>MoodGrains:RateLimits</c>. Per address, so one machine cannot mint
/// identities without end; per identity, so one guest cannot flood a room. The defaults leave room for the load
/// benchmark (hundreds of members signing in from one address within seconds) and stop floods within a few seconds.
/// Behind a reverse proxy every client shares the proxy's address: raise the per-address limits there.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "MoodGrains:RateLimits";

    /// <summary>New guest sessions (<c>POST /api/session</c>) from one address.</summary>
    public TokenBucket SessionsPerAddress { get; set; } = new() { Limit = 300, PerMinute = 60 };

    public TokenBucket RoomCreatesPerAddress { get; set; } = new() { Limit = 200, PerMinute = 60 };

    /// <summary>Rooms one guest creates, over HTTP and the hub.</summary>
    public TokenBucket RoomCreatesPerIdentity { get; set; } = new() { Limit = 10, PerMinute = 10 };

    public TokenBucket RoomJoinsPerAddress { get; set; } = new() { Limit = 600, PerMinute = 300 };

    /// <summary>Joins and resumes of one guest, over HTTP and the hub.</summary>
    public TokenBucket RoomJoinsPerIdentity { get; set; } = new() { Limit = 30, PerMinute = 30 };

    public TokenBucket RoomReadsPerAddress { get; set; } = new() { Limit = 1200, PerMinute = 600 };

    public TokenBucket RoomReadsPerIdentity { get; set; } = new() { Limit = 60, PerMinute = 120 };

    public TokenBucket SearchesPerAddress { get; set; } = new() { Limit = 600, PerMinute = 300 };

    /// <summary>Searches of one guest: the catalogue over the hub and Spotify over HTTP.</summary>
    public TokenBucket SearchesPerIdentity { get; set; } = new() { Limit = 30, PerMinute = 60 };

    /// <summary>Manual mood picks of one guest; each one is pushed to the whole room.</summary>
    public TokenBucket MoodsPerIdentity { get; set; } = new() { Limit = 10, PerMinute = 30 };

    /// <summary>Tracks one guest adds to queues.</summary>
    public TokenBucket TrackAddsPerIdentity { get; set; } = new() { Limit = 20, PerMinute = 30 };

    /// <summary>Skip votes and ratings of one guest.</summary>
    public TokenBucket VotesPerIdentity { get; set; } = new() { Limit = 20, PerMinute = 60 };

    internal static IEnumerable<PropertyInfo> Buckets => typeof(RateLimitOptions).GetProperties().Where(p => p.PropertyType == typeof(TokenBucket));
}

/// <summary>Every bucket needs a positive size and refill rate; the message names the key to fix.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    private const int Most = 1_000_000;

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        foreach (var property in RateLimitOptions.Buckets)
        {
            var key = $"{RateLimitOptions.Section}:{property.Name}";
            if (property.GetValue(options) is not TokenBucket bucket)
            {
                failures.Add($"{key} is missing.");
                continue;
            }

            if (bucket.Limit is < 1 or > Most)
            {
                failures.Add($"{key}:Limit must be between 1 and {Most}.");
            }

            if (bucket.PerMinute is < 1 or > Most)
            {
                failures.Add($"{key}:PerMinute must be between 1 and {Most}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
