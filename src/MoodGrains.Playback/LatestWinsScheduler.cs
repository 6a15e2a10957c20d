using System.Collections.Concurrent;
using System.Threading.Channels;

namespace MoodGrains.Playback;

/// <summary>
/// Applies the newest value offered for each key, never two at once for the same key, and never waits on the caller.
/// A burst of offers for one key collapses into one application of the latest; an offer made while its key is being
/// applied is picked up right after, so the final value is never lost. A failing application is reported and the
/// worker carries on.
/// </summary>
/// <remarks>
/// Each key has a slot holding its latest value and a "scheduled" flag. An offer stores the value and queues the slot
/// only when it flips the flag, so a slot sits in the queue at most once and one worker owns it until it clears the flag.
/// </remarks>
public sealed class LatestWinsScheduler<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private readonly Channel<Slot> _ready = Channel.CreateUnbounded<Slot>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ConcurrentDictionary<TKey, Slot> _slots;
    private readonly Func<TKey, TValue, CancellationToken, Task> _apply;
    private readonly Action<TKey, TValue, Exception> _failed;
    private readonly Func<TKey, bool> _forgetWhenIdle;

    /// <param name="apply">Brings the key to the value; runs on a worker, one at a time per key.</param>
    /// <param name="failed">Told about an exception from <paramref name="apply"/> (other than shutting down).</param>
    /// <param name="forgetWhenIdle">Asked after a key's latest value was applied whether to drop its slot; null keeps every slot.</param>
    public LatestWinsScheduler(
        Func<TKey, TValue, CancellationToken, Task> apply,
        Action<TKey, TValue, Exception> failed,
        Func<TKey, bool>? forgetWhenIdle = null,
        IEqualityComparer<TKey>? comparer = null)
    {
        _apply = apply;
        _failed = failed;
        _forgetWhenIdle = forgetWhenIdle ?? (_ => false);
        _slots = new ConcurrentDictionary<TKey, Slot>(comparer);
    }

    public IEnumerable<TKey> Keys => _slots.Keys;

    public void Offer(TKey key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slot = _slots.GetOrAdd(key, k => new Slot(k));
        slot.Latest = value;
        if (Interlocked.Exchange(ref slot.Scheduled, 1) == 0)
        {
            _ready.Writer.TryWrite(slot);
        }
    }

    /// <summary>The newest value offered for the key (applied or not), or null for an unknown key.</summary>
    public TValue? Latest(TKey key) => _slots.TryGetValue(key, out var slot) ? slot.Latest : null;

    /// <summary>Whether a value for the key waits for or is being applied.</summary>
    public bool IsPending(TKey key) => _slots.TryGetValue(key, out var slot) && Volatile.Read(ref slot.Scheduled) != 0;

    /// <summary>Runs <paramref name="workers"/> workers until <paramref name="stoppingToken"/> is cancelled.</summary>
    public Task RunAsync(int workers, CancellationToken stoppingToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync(stoppingToken)));
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var slot in _ready.Reader.ReadAllAsync(stoppingToken))
            {
                if (!await DrainAsync(slot, stoppingToken))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>False when shutting down.</returns>
    private async Task<bool> DrainAsync(Slot slot, CancellationToken stoppingToken)
    {
        while (true)
        {
            var applied = slot.Latest!;
            try
            {
                await _apply(slot.Key, applied, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                _failed(slot.Key, applied, e);
            }

            Volatile.Write(ref slot.Scheduled, 0);
            // A value offered after the read above either re-queued the slot itself (flag was clear) or is ours to apply.
            if (ReferenceEquals(slot.Latest, applied) || Interlocked.Exchange(ref slot.Scheduled, 1) != 0)
            {
                break;
            }
        }

        if (_forgetWhenIdle(slot.Key))
        {
            _slots.TryRemove(KeyValuePair.Create(slot.Key, slot));
        }

        return true;
    }

    private sealed class Slot(TKey key)
    {
        public readonly TKey Key = key;

        public int Scheduled;

        private TValue? _latest;

        public TValue? Latest
        {
            get => Volatile.Read(ref _latest);
            set => Volatile.Write(ref _latest, value);
        }
    }
}
