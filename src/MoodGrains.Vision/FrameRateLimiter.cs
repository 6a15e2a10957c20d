using System.Collections.Concurrent;

namespace MoodGrains.Vision;

/// <summary>
/// A token bucket per user for webcam frames: up to <c>burst</c> frames at once, refilled at <c>perSecond</c>.
/// SignalR runs one call per connection at a time, but a client that sends its next frame as soon as the last one is
/// answered could still have a core analysing its frames alone; this keeps one sender to a fair share.
/// </summary>
public sealed class FrameRateLimiter
{
    private const int PruneEvery = 4096;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly double _perSecond;
    private readonly int _burst;
    private int _calls;

    public FrameRateLimiter(double perSecond, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _perSecond = perSecond;
        _burst = burst;
    }

    /// <summary>Users with a bucket in memory (a full bucket is dropped at the next prune: it is the same as none).</summary>
    public int Tracked => _buckets.Count;

    /// <summary>Takes one frame's token for <paramref name="userId"/> at <paramref name="nowSeconds"/> (any monotonic clock).</summary>
    public bool TryTake(string userId, double nowSeconds)
    {
        if (Interlocked.Increment(ref _calls) % PruneEvery == 0)
        {
            Prune(nowSeconds);
        }

        var bucket = _buckets.GetOrAdd(userId, _ => new Bucket(_burst, nowSeconds));
        lock (bucket)
        {
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + (Math.Max(0, nowSeconds - bucket.At) * _perSecond));
            bucket.At = Math.Max(bucket.At, nowSeconds);
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    /// <summary>Forgets users whose bucket has refilled: they left, or send slowly enough not to matter.</summary>
    public void Prune(double nowSeconds)
    {
        var refill = _burst / _perSecond;
        foreach (var (user, bucket) in _buckets)
        {
            bool full;
            lock (bucket)
            {
                full = nowSeconds - bucket.At >= refill;
            }

            if (full)
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(user, bucket));
            }
        }
    }

    private sealed class Bucket(double tokens, double at)
    {
        public double Tokens { get; set; } = tokens;

        public double At { get; set; } = at;
    }
}
