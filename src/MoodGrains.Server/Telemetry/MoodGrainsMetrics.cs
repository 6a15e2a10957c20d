using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MoodGrains.Vision;

namespace MoodGrains.Server.Telemetry;

/// <summary>
/// MoodGrains' own instruments, all on the <see cref="MeterName"/> meter. Names and units follow the OpenTelemetry
/// semantic conventions (dotted lower-case names, UCUM units, durations in seconds). Tags carry only bounded,
/// non-personal values (outcomes, kinds); never user ids, room codes or display names.
/// </summary>
public sealed class MoodGrainsMetrics
{
    public const string MeterName = "MoodGrains";

    // Frames take milliseconds; the last buckets catch a stalled worker.
    private static readonly double[] InferenceBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    private static readonly double[] PushBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly double[] TrainingBuckets = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly Counter<long> _frames;
    private readonly Histogram<double> _inference;
    private readonly Histogram<double> _decode;
    private readonly Histogram<double> _detect;
    private readonly Histogram<double> _classify;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _push;
    private readonly Histogram<double> _training;
    private readonly Counter<long> _spotifyCalls;
    private readonly Counter<long> _rateLimitRefusals;
    private readonly ConcurrentDictionary<string, int> _roomMembers = new(StringComparer.Ordinal);
    private Func<int>? _queueDepth;
    private volatile string? _modelVersion;

    public MoodGrainsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _frames = meter.CreateCounter<long>("moodgrains.frames", "{frame}", "Webcam frames received, by outcome (Ok, NoFace, Busy, TooFast, Undecodable, ...).");
        _inference = meter.CreateHistogram("moodgrains.inference.duration", "s", "Time to analyse one frame: decode, detect and classify.", advice: Buckets(InferenceBuckets));
        _decode = meter.CreateHistogram("moodgrains.inference.decode.duration", "s", "Time to decode one frame.", advice: Buckets(InferenceBuckets));
        _detect = meter.CreateHistogram("moodgrains.inference.detect.duration", "s", "Time to find the faces in one frame.", advice: Buckets(InferenceBuckets));
        _classify = meter.CreateHistogram("moodgrains.inference.classify.duration", "s", "Time to score the emotions of one frame's faces.", advice: Buckets(InferenceBuckets));
        _queueWait = meter.CreateHistogram("moodgrains.inference.queue.wait", "s", "Time a frame waited for an inference worker.", advice: Buckets(InferenceBuckets));
        meter.CreateObservableGauge("moodgrains.inference.queue.depth", () => _queueDepth?.Invoke() ?? 0, "{frame}", "Frames waiting for an inference worker on this silo.");
        meter.CreateObservableUpDownCounter("moodgrains.rooms.active", () => _roomMembers.Count, "{room}", "Rooms active on this silo.");
        meter.CreateObservableUpDownCounter("moodgrains.room.members", () => _roomMembers.Values.Sum(), "{member}", "Members present in the rooms active on this silo.");
        _push = meter.CreateHistogram("moodgrains.room.push.duration", "s", "Time to push a room change to its members' connections (all silos, through the backplane).", advice: Buckets(PushBuckets));
        _training = meter.CreateHistogram("moodgrains.recommender.training.duration", "s", "Time to train the recommender from the listening history.", advice: Buckets(TrainingBuckets));
        meter.CreateObservableGauge("moodgrains.recommender.model", ObserveModel, "{model}", "1 for the recommender model serving now, tagged with its version.");
        _spotifyCalls = meter.CreateCounter<long>("moodgrains.spotify.calls", "{call}", "Calls to Spotify's Web and Accounts APIs, by outcome.");
        _rateLimitRefusals = meter.CreateCounter<long>("moodgrains.rate_limit.refusals", "{request}", "Requests refused by a MoodGrains rate limit, by limit.");
    }

    /// <summary>Every frame once, with the status its sender sees.</summary>
    public void FrameCompleted(string outcome) => _frames.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A frame a worker analysed, after <paramref name="queueWait"/> in the queue.</summary>
    public void FrameAnalyzed(VisionTimings timings, TimeSpan queueWait)
    {
        _queueWait.Record(queueWait.TotalSeconds);
        _inference.Record(timings.TotalMs / 1000);
        _decode.Record(timings.DecodeMs / 1000);
        _detect.Record(timings.DetectMs / 1000);
        _classify.Record(timings.ClassifyMs / 1000);
    }

    /// <summary>A frame skipped unread because it waited longer than the queue allows.</summary>
    public void FrameExpired(TimeSpan queueWait) => _queueWait.Record(queueWait.TotalSeconds);

    /// <summary>The inference pool's queue, read when metrics are collected.</summary>
    public void ObserveInferenceQueue(Func<int> depth) => _queueDepth = depth;

    public void RoomActivated(string roomCode) => _roomMembers.TryAdd(roomCode, 0);

    public void RoomDeactivated(string roomCode) => _roomMembers.TryRemove(roomCode, out _);

    /// <summary>The members a room held when it last pushed its state; only rooms active on this silo count.</summary>
    public void RoomMembers(string roomCode, int members)
    {
        if (_roomMembers.ContainsKey(roomCode))
        {
            _roomMembers[roomCode] = members;
        }
    }

    /// <param name="kind"><c>room</c>, <c>mood</c> or <c>removal</c>.</param>
    public void RoomPushed(string kind, TimeSpan duration, bool succeeded) =>
        _push.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", succeeded ? "ok" : "failed"));

    public void RecommenderTrained(string version, TimeSpan duration)
    {
        _training.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "ok"));
        _modelVersion = version;
    }

    public void RecommenderTrainingFailed(TimeSpan duration) =>
        _training.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "failed"));

    /// <param name="api"><c>web</c> or <c>accounts</c>.</param>
    /// <param name="outcome"><c>ok</c>, <c>client_error</c>, <c>unauthorized</c>, <c>rate_limited</c>, <c>server_error</c> or <c>failed</c> (no answer).</param>
    public void SpotifyCalled(string api, string outcome) =>
        _spotifyCalls.Add(1, new KeyValuePair<string, object?>("api", api), new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="limit">Which limit refused, e.g. <c>frames</c>; a fixed name, never who was refused.</param>
    public void RateLimitRefused(string limit) => _rateLimitRefusals.Add(1, new KeyValuePair<string, object?>("limit", limit));

    private IEnumerable<Measurement<int>> ObserveModel()
    {
        if (_modelVersion is { } version)
        {
            yield return new Measurement<int>(1, new KeyValuePair<string, object?>("version", version));
        }
    }

    private static InstrumentAdvice<double> Buckets(double[] boundaries) => new() { HistogramBucketBoundaries = boundaries };
}
