using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using MoodGrains.Server.Hubs;
using MoodGrains.Server.Identity;
using MoodGrains.Server.Telemetry;

namespace MoodGrains.Server.Limits;

/// <summary>
/// The HTTP rate limits: a global limiter per client address and kind of request, then the endpoint's own policy per
/// identity. Endpoints opt in with <c>RequireRateLimiting(RateLimitPolicies.X)</c>; the policy name also picks the
/// address bucket, so one name says both.
/// </summary>
public static class RateLimitPolicies
{
    public const string Sessions = "sessions";
    public const string RoomCreate = "room-create";
    public const string RoomJoin = "room-join";
    public const string RoomRead = "room-read";
    public const string Search = "search";

    /// <summary>The buckets a policy takes from: one per address, and one per identity where requests carry one.</summary>
    public static (TokenBucket PerAddress, TokenBucket? PerIdentity) BucketsOf(string policy, RateLimitOptions limits) => policy switch
    {
        Sessions => (limits.SessionsPerAddress, null),
        RoomCreate => (limits.RoomCreatesPerAddress, limits.RoomCreatesPerIdentity),
        RoomJoin => (limits.RoomJoinsPerAddress, limits.RoomJoinsPerIdentity),
        RoomRead => (limits.RoomReadsPerAddress, limits.RoomReadsPerIdentity),
        Search => (limits.SearchesPerAddress, limits.SearchesPerIdentity),
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "No such rate limit policy."),
    };

    public static void Configure(RateLimiterOptions options, RateLimitOptions limits, MoodGrainsMetrics metrics)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var policy = context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
            if (policy is null)
            {
                return RateLimitPartition.GetNoLimiter(string.Empty);
            }

            var bucket = BucketsOf(policy, limits).PerAddress;
            return RateLimitPartition.GetTokenBucketLimiter(policy + "|" + ClientAddress(context), _ => bucket.ToLimiterOptions());
        });

        foreach (var policy in new[] { Sessions, RoomCreate, RoomJoin, RoomRead, Search })
        {
            var bucket = BucketsOf(policy, limits).PerIdentity;
            options.AddPolicy(policy, context => bucket is null
                ? RateLimitPartition.GetNoLimiter(string.Empty)
                : RateLimitPartition.GetTokenBucketLimiter(IdentityOf(context), _ => bucket.ToLimiterOptions()));
        }

        options.OnRejected = async (rejected, cancellationToken) =>
        {
            var http = rejected.HttpContext;
            var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "http";
            metrics.RateLimitRefused(policy);
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Results.Problem(
                title: RoomErrors.TooFast,
                detail: $"Too many requests; try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
        };
    }

    /// <summary>
    /// The address a limit is kept for. IPv6 clients usually hold a whole /64, so that is what counts as one address.
    /// </summary>
    public static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }

    private static string IdentityOf(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? "user:" + context.User.UserId() : "address:" + ClientAddress(context);
}
