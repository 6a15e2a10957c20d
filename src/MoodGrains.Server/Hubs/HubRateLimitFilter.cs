using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Limits;
using MoodGrains.Server.Telemetry;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// Per-identity limits on the hub calls that cost the whole room something (each pushes to every member or takes the
/// room grain's turn). A refused call changes nothing and answers <c>TooFast</c> with how long to wait. One instance
/// per server (registered as a singleton), so the buckets outlive each call's hub instance.
/// </summary>
public sealed class HubRateLimitFilter : IHubFilter, IDisposable
{
    private readonly Dictionary<string, (string Category, string What)> _methods = new(StringComparer.Ordinal)
    {
        ["SetManualMood"] = ("mood", "mood changes"),
        ["ClearManualMood"] = ("mood", "mood changes"),
        ["AddTrack"] = ("add-track", "tracks added"),
        ["VoteSkip"] = ("vote", "votes"),
        ["Rate"] = ("vote", "votes"),
        ["ClearRating"] = ("vote", "votes"),
        ["JoinRoom"] = ("join", "joins"),
        ["ResumeRoom"] = ("join", "joins"),
        ["CreateRoom"] = ("create", "rooms created"),
        ["SearchTracks"] = ("search", "searches"),
    };

    private readonly PartitionedRateLimiter<(string Category, string UserId)> _limiter;
    private readonly MoodGrainsMetrics _metrics;

    public HubRateLimitFilter(IOptions<RateLimitOptions> options, MoodGrainsMetrics metrics)
    {
        _metrics = metrics;
        var limits = options.Value;
        var buckets = new Dictionary<string, TokenBucket>(StringComparer.Ordinal)
        {
            ["mood"] = limits.MoodsPerIdentity,
            ["add-track"] = limits.TrackAddsPerIdentity,
            ["vote"] = limits.VotesPerIdentity,
            ["join"] = limits.RoomJoinsPerIdentity,
            ["create"] = limits.RoomCreatesPerIdentity,
            ["search"] = limits.SearchesPerIdentity,
        };
        _limiter = PartitionedRateLimiter.Create<(string Category, string UserId), (string Category, string UserId)>(key =>
            RateLimitPartition.GetTokenBucketLimiter(key, k => buckets[k.Category].ToLimiterOptions()));
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (_methods.TryGetValue(invocation.HubMethodName, out var limited))
        {
            var user = invocation.Context.UserIdentifier ?? invocation.Context.ConnectionId;
            using var lease = _limiter.AttemptAcquire((limited.Category, user));
            if (!lease.IsAcquired)
            {
                _metrics.RateLimitRefused("hub-" + limited.Category);
                var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                throw RoomErrors.ToHubException(RoomErrors.TooFast, $"Too many {limited.What}; try again in {seconds} s.");
            }
        }

        return await next(invocation);
    }

    public void Dispose() => _limiter.Dispose();
}
