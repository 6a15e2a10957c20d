using System.Runtime.InteropServices;

namespace MoodGrains.Audio;

/// <summary>
/// Runs work that may wait (a library scan) below the priority of work that may not (a member's frame). On Linux the
/// work gets its own thread at nice <see cref="Nice"/> (or the caller's own niceness, if higher), and a tool it
/// starts (ffmpeg) inherits that, as a child forked from a thread does; so when the cores are full the scheduler gives
/// them a small share of the time of normal threads (nice 19 weighs 15 against 1024), and all of it when the cores are
/// idle. Elsewhere, or where the priority cannot be read, the work simply runs at normal priority.
/// </summary>
public static partial class BackgroundWork
{
    /// <summary>The niceness of background work: the lowest, which still gets whatever the cores leave idle.</summary>
    public const int Nice = 19;

    private const int PrioProcess = 0;

    /// <summary>Runs <paramref name="work"/> on a new thread of its own, lowered to <see cref="Nice"/>, and completes with its result.</summary>
    public static Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            // A thread of its own: raising a pooled thread's niceness could not be undone without privileges.
            LowerCurrentThread();
            try
            {
                done.SetResult(work());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                done.SetCanceled(cancellationToken);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "MoodGrains background work",
        };
        thread.Start();
        return done.Task;
    }

    private static void LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux())
        {
            // On Linux the niceness belongs to the thread: who = 0 is the calling thread, not the whole process.
            // Never above the caller's own priority: a server already run niced stays where it is.
            Marshal.SetLastPInvokeError(0);
            var current = GetPriority(PrioProcess, 0);
            if (current != -1 || Marshal.GetLastPInvokeError() == 0)
            {
                _ = SetPriority(PrioProcess, 0, Math.Max(current, Nice));
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);
}
