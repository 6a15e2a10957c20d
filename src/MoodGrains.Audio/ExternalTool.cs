using System.ComponentModel;
using System.Diagnostics;

namespace MoodGrains.Audio;

/// <summary>Runs a Debian command-line tool (ffmpeg, fluidsynth) and turns its failures into messages a person can act on.</summary>
internal static class ExternalTool
{
    /// <summary>Starts <paramref name="tool"/>, or throws naming the Debian package when it is not installed.</summary>
    /// <param name="lowestPriority">
    /// run it at the lowest CPU priority (nice 19 on Linux): work that may wait, such as decoding for a library scan
    /// while members' frames are being read, gets only what the cores leave idle. Set on the process, not on a
    /// thread of ours: a .NET thread's niceness would pass on to every thread it happens to create, pool threads included.
    /// </param>
    public static Process Start(string tool, string package, IEnumerable<string> arguments, bool redirectStdout, bool lowestPriority = false)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = redirectStdout,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} was not found on PATH; install the Debian package {package}.", e);
        }

        if (lowestPriority)
        {
            try
            {
                process.PriorityClass = ProcessPriorityClass.Idle;
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception)
            {
                // Already finished, or not permitted here: it runs at normal priority.
            }
        }

        return process;
    }

    /// <summary>Runs the tool to the end and returns its stdout; a non-zero exit throws with the last lines it wrote to stderr.</summary>
    public static async Task<string> RunAsync(string tool, string package, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(tool, package, arguments, redirectStdout: true);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout;
        var error = await stderr;
        return process.ExitCode != 0
            ? throw new InvalidOperationException($"{tool} failed (exit {process.ExitCode}): {LastLines(error, 3)}")
            : output;
    }

    public static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no message)" : string.Join(" | ", lines.TakeLast(count));
    }

    public static bool IsOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
