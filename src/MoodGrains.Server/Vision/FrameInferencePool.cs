using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Users;
using MoodGrains.Server.Telemetry;
using MoodGrains.Vision;

namespace MoodGrains.Server.Vision;

/// <summary>What became of one webcam frame, as the sender's page sees it.</summary>
public sealed record FrameOutcome(string Status, int Faces, string? Detail, MoodSnapshot? Mood, double DecodeMs, double DetectMs, double ClassifyMs);

/// <summary>
/// The stateless inference workers: a bounded queue in front of a fixed number of threads that run the vision
/// pipeline and hand each reading to the sender's <see cref="IUserGrain"/>.
/// </summary>
/// <remarks>
/// Chosen over a [StatelessWorker] grain because inference is blocking, CPU-bound work: here it never occupies a
/// grain turn, the frame bytes never travel between silos (the frame is analysed on the silo holding the browser's
/// connection; only the 7-number reading crosses), and back-pressure is explicit: when the queue is full a frame is
/// refused with "Busy" at once rather than piling up latency. Frames live only in memory for the duration of one
/// analysis and are never stored.
/// </remarks>
public sealed partial class FrameInferencePool : BackgroundService
{
    private readonly Channel<Job> _queue;
    private readonly FrameAnalyzer _analyzer;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _clock;
    private readonly ILogger<FrameInferencePool> _logger;
    private readonly int _workers;
    private readonly TimeSpan _maxQueueWait;
    private readonly FrameRateLimiter _limiter;
    private readonly double _maxFramesPerSecond;
    private readonly MoodGrainsMetrics _metrics;

    public FrameInferencePool(FrameAnalyzer analyzer, IGrainFactory grains, IOptions<InferenceOptions> options, TimeProvider clock, ILogger<FrameInferencePool> logger, MoodGrainsMetrics metrics)
    {
        _metrics = metrics;
        _analyzer = analyzer;
        _grains = grains;
        _clock = clock;
        _logger = logger;
        _workers = options.Value.Workers > 0 ? options.Value.Workers : Environment.ProcessorCount;
        _maxQueueWait = options.Value.MaxQueueWait;
        _maxFramesPerSecond = options.Value.MaxFramesPerSecond;
        _limiter = new FrameRateLimiter(options.Value.MaxFramesPerSecond, options.Value.FrameBurst);
        _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
        });
        metrics.ObserveInferenceQueue(() => _queue.Reader.Count);
    }

    public async Task<FrameOutcome> SubmitAsync(string userId, byte[] frame)
    {
        var outcome = await SubmitCoreAsync(userId, frame);
        _metrics.FrameCompleted(outcome.Status);
        return outcome;
    }

    private Task<FrameOutcome> SubmitCoreAsync(string userId, byte[] frame)
    {
        var now = _clock.GetTimestamp();
        if (!_limiter.TryTake(userId, now / (double)_clock.TimestampFrequency))
        {
            _metrics.RateLimitRefused("frames");
            return Task.FromResult(new FrameOutcome(
                "TooFast", 0, $"More than {_maxFramesPerSecond:0.#} frames a second; this frame was skipped.", null, 0, 0, 0));
        }

        var job = new Job(userId, frame, _clock.GetUtcNow(), now, new TaskCompletionSource<FrameOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(job)
            ? job.Completion.Task
            : Task.FromResult(new FrameOutcome("Busy", 0, "The server is busy; this frame was skipped.", null, 0, 0, 0));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Dedicated threads, not thread-pool ones: inference blocks its thread for milliseconds at a time, and with one
        // pool thread per core two busy workers would leave SignalR, Orleans and Redis waiting for the pool to grow
        // (it adds threads about twice a second), which showed up as half-second stalls under load.
        var stopped = Enumerable.Range(0, _workers).Select(i =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                Work(stoppingToken);
                done.TrySetResult();
            })
            {
                IsBackground = true,
                Name = $"inference-{i}",
            };
            thread.Start();
            return done.Task;
        }).ToArray();
        return Task.WhenAll(stopped);
    }

    private void Work(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                if (!_queue.Reader.TryRead(out var job))
                {
                    // Blocking is fine here: this thread exists only to run frames.
                    if (!_queue.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }

                    continue;
                }

                try
                {
                    Process(job);
                }
                catch (Exception e)
                {
                    LogFrameFailed(e, job.UserId);
                    job.Completion.TrySetResult(new FrameOutcome("Faulted", 0, "This frame could not be processed.", null, 0, 0, 0));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Process(Job job)
    {
        // A frame that waited longer than its usefulness is dropped unread: the next frame is already on its way,
        // and analysing stale frames is how an overloaded server turns a short burst into seconds of lag.
        var waited = _clock.GetElapsedTime(job.EnqueuedAt);
        if (waited > _maxQueueWait)
        {
            _metrics.FrameExpired(waited);
            job.Completion.TrySetResult(new FrameOutcome("Busy", 0, "The server is busy; this frame was skipped.", null, 0, 0, 0));
            return;
        }

        var analysis = _analyzer.Analyze(job.Frame);
        var t = analysis.Timings;
        _metrics.FrameAnalyzed(t, waited);
        if (!analysis.Succeeded)
        {
            if (analysis.Error is not null)
            {
                // The sender sees a fixed sentence; the decoder's own words are for operators.
                LogFrameRefused(analysis.Error, job.UserId, analysis.Status);
            }

            job.Completion.TrySetResult(new FrameOutcome(analysis.Status.ToString(), 0, analysis.Detail, null, t.DecodeMs, t.DetectMs, t.ClassifyMs));
            return;
        }

        // The grain call is I/O: it runs on without this thread, which goes back to the next frame.
        _ = HandOverAsync(job, analysis);
    }

    private async Task HandOverAsync(Job job, FrameAnalysis analysis)
    {
        var t = analysis.Timings;
        try
        {
            var (scores, confidence) = FaceBlend.Combine(analysis.Faces);
            var reading = new MoodReading(scores, confidence, job.ReceivedAt, MoodSource.Camera);
            var mood = await _grains.GetGrain<IUserGrain>(job.UserId).RecordReadingAsync(reading);
            var detail = analysis.FacesCapped ? "More faces than the limit; the most confident ones were read." : null;
            job.Completion.TrySetResult(new FrameOutcome(analysis.Status.ToString(), analysis.Faces.Count, detail, mood, t.DecodeMs, t.DetectMs, t.ClassifyMs));
        }
        catch (Exception e)
        {
            LogFrameFailed(e, job.UserId);
            job.Completion.TrySetResult(new FrameOutcome("Faulted", 0, "This frame could not be processed.", null, t.DecodeMs, t.DetectMs, t.ClassifyMs));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A frame from user {UserId} was refused as {Status}")]
    private partial void LogFrameRefused(Exception exception, string userId, FrameStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "A frame from user {UserId} failed unexpectedly")]
    private partial void LogFrameFailed(Exception exception, string userId);

    private sealed record Job(string UserId, byte[] Frame, DateTimeOffset ReceivedAt, long EnqueuedAt, TaskCompletionSource<FrameOutcome> Completion);
}

/// <summary>The inference worker pool. Bound from <c>MoodGrains:Inference</c>.</summary>
public sealed class InferenceOptions
{
    public const string Section = "MoodGrains:Inference";

    /// <summary>Worker threads; 0 means one per core.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 64)]
    public int Workers { get; set; }

    /// <summary>Frames waiting at most; beyond it new frames are refused as Busy at once.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int QueueCapacity { get; set; } = 16;

    /// <summary>A frame that waited longer than this is skipped unread (at 2 fps the next one is 500 ms behind it).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Frames a second one user may send, sustained (the page offers at most 4); more are refused as TooFast.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.1, 100)]
    public double MaxFramesPerSecond { get; set; } = 5;

    /// <summary>Frames one user may send at once above that rate (a reconnect or a tab coming back to the front).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100)]
    public int FrameBurst { get; set; } = 8;
}
