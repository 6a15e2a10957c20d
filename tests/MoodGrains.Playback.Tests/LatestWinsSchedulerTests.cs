using System.Collections.Concurrent;

namespace MoodGrains.Playback.Tests;

public sealed class LatestWinsSchedulerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_burst_offered_while_a_key_is_busy_collapses_into_the_latest_value()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var applied = new ConcurrentQueue<string>();
        var scheduler = new LatestWinsScheduler<string, string>(
            async (_, value, _) =>
            {
                applied.Enqueue(value);
                if (value == "v0")
                {
                    await gate.Task;
                }
            },
            (_, _, e) => throw new InvalidOperationException("unexpected", e));
        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(4, stop.Token);

        scheduler.Offer("k", "v0");
        await WaitUntilAsync(() => applied.Count == 1);
        for (var i = 1; i <= 50; i++)
        {
            scheduler.Offer("k", "v" + i);
        }

        gate.SetResult();
        await WaitUntilAsync(() => !scheduler.IsPending("k"));

        Assert.Equal(["v0", "v50"], applied);
        Assert.Equal("v50", scheduler.Latest("k"));
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task A_key_is_never_applied_twice_at_once_and_its_final_value_is_never_lost()
    {
        var running = new ConcurrentDictionary<int, int>();
        var overlaps = 0;
        var last = new ConcurrentDictionary<int, int>();
        var scheduler = new LatestWinsScheduler<int, string>(
            async (key, value, _) =>
            {
                if (running.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                last[key] = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                running.AddOrUpdate(key, 0, (_, n) => n - 1);
            },
            (_, _, e) => throw new InvalidOperationException("unexpected", e));
        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(4, stop.Token);

        // Four writers race offers for eight keys; each key's last offer is 1000.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 1; i <= 1000; i++)
            {
                for (var key = 0; key < 8; key++)
                {
                    if (i % 4 == w || i == 1000)
                    {
                        scheduler.Offer(key, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }
        })));
        await WaitUntilAsync(() => Enumerable.Range(0, 8).All(k => !scheduler.IsPending(k)));

        Assert.Equal(0, overlaps);
        Assert.All(Enumerable.Range(0, 8), k => Assert.Equal(1000, last[k]));
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task A_failing_application_is_reported_and_the_workers_carry_on()
    {
        var failures = new ConcurrentQueue<(string Key, string Value)>();
        var applied = new ConcurrentQueue<string>();
        var scheduler = new LatestWinsScheduler<string, string>(
            (_, value, _) => value.StartsWith("boom", StringComparison.Ordinal) ? throw new InvalidOperationException(value) : Task.Run(() => applied.Enqueue(value)),
            (key, value, _) => failures.Enqueue((key, value)));
        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(1, stop.Token);

        scheduler.Offer("a", "boom-a");
        await WaitUntilAsync(() => !failures.IsEmpty);
        scheduler.Offer("b", "boom-b");
        await WaitUntilAsync(() => failures.Count == 2);
        scheduler.Offer("a", "fine");
        await WaitUntilAsync(() => !applied.IsEmpty);

        Assert.Equal([("a", "boom-a"), ("b", "boom-b")], failures);
        Assert.Equal(["fine"], applied);
        Assert.False(run.IsCompleted);
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task An_idle_key_is_forgotten_only_when_asked_to()
    {
        var applied = new ConcurrentQueue<string>();
        var scheduler = new LatestWinsScheduler<string, string>(
            (key, _, _) => Task.Run(() => applied.Enqueue(key)),
            (_, _, e) => throw new InvalidOperationException("unexpected", e),
            forgetWhenIdle: key => key.StartsWith("gone", StringComparison.Ordinal));
        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(2, stop.Token);

        scheduler.Offer("kept", "v");
        scheduler.Offer("gone", "v");
        await WaitUntilAsync(() => applied.Count == 2 && !scheduler.Keys.Contains("gone"));

        Assert.Equal(["kept"], scheduler.Keys);
        Assert.Equal("v", scheduler.Latest("kept"));
        Assert.Null(scheduler.Latest("gone"));
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task Stopping_ends_the_workers_even_in_the_middle_of_an_application()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scheduler = new LatestWinsScheduler<string, string>(
            async (_, _, token) =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, token);
            },
            (_, _, e) => throw new InvalidOperationException("unexpected", e));
        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(2, stop.Token);

        scheduler.Offer("k", "v");
        await started.Task.WaitAsync(Patience);

        await StopAsync(stop, run);
        Assert.True(run.IsCompletedSuccessfully);
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task run)
    {
        await stop.CancelAsync();
        await run.WaitAsync(Patience);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(5);
        }
    }
}
