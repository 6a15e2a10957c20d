namespace MoodGrains.Cli.Load;

/// <summary>
/// Matches each frame's reading to the room pushes that carry it and turns that into one latency per frame: from
/// the moment the frame was sent to the moment the LAST member of the sender's room received a push holding the
/// sender's new reading. A reading is identified by (sender, the mood's <c>updatedAt</c>), which the frame's outcome
/// returns and every later push repeats in <c>members[sender].mood.updatedAt</c>.
/// </summary>
/// <remarks>
/// The server pushes to the room before it answers the sender, so a push may arrive before the outcome that names
/// its reading; arrivals are therefore kept until the outcome comes and vice versa. Only the first push per receiver
/// counts: later pushes (caused by other members' frames) repeat the same reading. Times are milliseconds on one
/// monotonic clock chosen by the caller. Not thread-safe; the caller serialises access.
/// </remarks>
internal sealed class LatencyTracker(IReadOnlyDictionary<string, int> roomSizeOfUser)
{
    private readonly Dictionary<(string Sender, DateTimeOffset At), Delivery> _deliveries = [];
    private readonly List<double> _latenciesMs = [];

    public IReadOnlyList<double> LatenciesMs => _latenciesMs;

    /// <summary>Outcomes whose reading had already been matched to another outcome (the server reused a timestamp).</summary>
    public int DuplicateOutcomes { get; private set; }

    /// <summary>Frames whose reading had not reached every member of the room when asked.</summary>
    public int Undelivered => _deliveries.Values.Count(d => d.SentMs is not null && !d.Done);

    /// <summary>The sender's frame was answered with a reading stamped <paramref name="updatedAt"/>.</summary>
    public void OnOutcome(string sender, DateTimeOffset updatedAt, double sentMs)
    {
        var delivery = Get(sender, updatedAt);
        if (delivery.SentMs is not null)
        {
            DuplicateOutcomes++;
            return;
        }

        delivery.SentMs = sentMs;
        TryComplete(sender, delivery);
    }

    /// <summary>A push reached <paramref name="receiver"/> holding the sender's reading stamped <paramref name="updatedAt"/>.</summary>
    public void OnPush(string receiver, string sender, DateTimeOffset updatedAt, double arrivedMs)
    {
        if (!roomSizeOfUser.ContainsKey(sender))
        {
            return;
        }

        var delivery = Get(sender, updatedAt);
        if (delivery.Done || !delivery.Receivers.Add(receiver))
        {
            return;
        }

        delivery.LastArrivalMs = Math.Max(delivery.LastArrivalMs, arrivedMs);
        TryComplete(sender, delivery);
    }

    private Delivery Get(string sender, DateTimeOffset at)
    {
        if (!_deliveries.TryGetValue((sender, at), out var delivery))
        {
            delivery = new Delivery();
            _deliveries[(sender, at)] = delivery;
        }

        return delivery;
    }

    private void TryComplete(string sender, Delivery delivery)
    {
        if (delivery.SentMs is { } sent && !delivery.Done && delivery.Receivers.Count >= roomSizeOfUser[sender])
        {
            // Kept (not removed) and marked done, so pushes that repeat this reading later cannot start a new entry.
            delivery.Done = true;
            _latenciesMs.Add(delivery.LastArrivalMs - sent);
        }
    }

    private sealed class Delivery
    {
        public double? SentMs { get; set; }

        public HashSet<string> Receivers { get; } = new(StringComparer.Ordinal);

        public double LastArrivalMs { get; set; } = double.MinValue;

        public bool Done { get; set; }
    }
}
