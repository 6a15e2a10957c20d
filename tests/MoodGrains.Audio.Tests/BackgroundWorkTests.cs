using System.Globalization;

namespace MoodGrains.Audio.Tests;

/// <summary>What a library scan runs at: below live work, for its own threads and the tools it starts (Linux, read from /proc).</summary>
public sealed class BackgroundWorkTests
{
    [Fact]
    public async Task Background_work_runs_on_a_thread_of_its_own_at_nice_10_and_leaves_the_caller_as_it_was()
    {
        var before = NiceOf("/proc/thread-self/stat");

        var (nice, thread) = await BackgroundWork.RunAsync(() => (NiceOf("/proc/thread-self/stat"), Environment.CurrentManagedThreadId));

        Assert.Equal(Math.Max(before, BackgroundWork.Nice), nice);
        Assert.NotEqual(Environment.CurrentManagedThreadId, thread);
        Assert.Equal(before, NiceOf("/proc/thread-self/stat"));
    }

    [Fact]
    public async Task A_tool_started_from_background_work_inherits_its_priority_and_one_started_elsewhere_does_not()
    {
        int NiceOfSleep()
        {
            using var sleep = ExternalTool.Start("sleep", "coreutils", ["5"], redirectStdout: false);
            try
            {
                return NiceOf($"/proc/{sleep.Id}/stat");
            }
            finally
            {
                sleep.Kill();
            }
        }

        var own = NiceOf("/proc/thread-self/stat");

        Assert.Equal(Math.Max(own, BackgroundWork.Nice), await BackgroundWork.RunAsync(NiceOfSleep));
        Assert.Equal(own, NiceOfSleep());
    }

    [Fact]
    public async Task A_failure_or_a_cancellation_in_background_work_reaches_the_caller()
    {
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => BackgroundWork.RunAsync<int>(() => throw new InvalidDataException("bad file")));
        Assert.Equal("bad file", failure.Message);

        using var cancel = new CancellationTokenSource();
        var started = BackgroundWork.RunAsync(() =>
        {
            cancel.Cancel();
            cancel.Token.ThrowIfCancellationRequested();
            return 0;
        }, cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => started);
        Assert.True(started.IsCanceled);
    }

    /// <summary>Field 19 of a /proc stat line (the niceness), counted after the command name's closing parenthesis.</summary>
    private static int NiceOf(string statPath)
    {
        var stat = File.ReadAllText(statPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}
