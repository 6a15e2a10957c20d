using System.Diagnostics;

namespace MoodGrains.Hosting.Local;

/// <summary>Runs a command to its end for a test fixture, failing with its output when it exits non-zero.</summary>
public static class Shell
{
    public static async Task RunAsync(string file, string arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout ?? Timeout.InfiniteTimeSpan);
        await process.WaitForExitAsync(cancellation.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{file} {arguments}' failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
