using System.Globalization;

namespace MoodGrains.Audio.Tests;

/// <summary>The priority tools run at (Linux, read from /proc).</summary>
public sealed class ExternalToolTests
{
    [Fact]
    public void A_tool_started_at_the_lowest_priority_runs_at_nice_19_and_others_at_ours()
    {
        var own = NiceOf("/proc/self/stat");

        Assert.Equal(19, NiceOfSleep(lowestPriority: true));
        Assert.Equal(own, NiceOfSleep(lowestPriority: false));
        Assert.Equal(own, NiceOf("/proc/self/stat"));
    }

    private static int NiceOfSleep(bool lowestPriority)
    {
        using var sleep = ExternalTool.Start("sleep", "coreutils", ["5"], redirectStdout: false, lowestPriority);
        try
        {
            return NiceOf($"/proc/{sleep.Id}/stat");
        }
        finally
        {
            sleep.Kill();
        }
    }

    /// <summary>Field 19 of a /proc stat line (the niceness), counted after the command name's closing parenthesis.</summary>
    private static int NiceOf(string statPath)
    {
        var stat = File.ReadAllText(statPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}
