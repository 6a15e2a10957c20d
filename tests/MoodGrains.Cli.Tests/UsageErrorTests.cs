using System.Diagnostics;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Cli.Tests;

/// <summary>Usage mistakes through the real executable: exit code 2, "error: ..." then "usage: ..." on stderr, nothing on stdout.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("eval fer --bogus", "unknown option '--bogus'", "moodgrains eval fer --images DIR")]
    [InlineData("bench vision --frames 0", "--frames takes a whole number of at least 1, not '0'", "moodgrains bench vision [--frames N]")]
    [InlineData("eval recs --lastfm", "--lastfm needs a value", "moodgrains eval recs --lastfm DIR")]
    [InlineData("bench recs --json --what", "unknown option '--what'", "moodgrains bench recs [--lastfm DIR]")]
    [InlineData("fit content --moods README.md --ridge abc", "--ridge takes a number, not 'abc'", "moodgrains fit content --moods")]
    [InlineData("bench failover --runs=abc", "--runs takes a whole number of at least 1, not 'abc'", "moodgrains bench failover [--runs 5]")]
    [InlineData("load --users", "--users needs a value", "moodgrains load --url URL")]
    [InlineData("load --url=ftp://x", "--url must be an http(s) address, not 'ftp://x'", "moodgrains load --url URL")]
    [InlineData("load extra", "unexpected argument 'extra'", "moodgrains load --url URL")]
    [InlineData("db status --nope", "unknown option '--nope'", "moodgrains db status [--postgres CONN]")]
    [InlineData("db migrate --postgres=Host=x stray", "unexpected argument 'stray'", "moodgrains db migrate [--postgres CONN]")]
    [InlineData("catalog import a.csv b.csv", "only one FILE can be imported at a time", "moodgrains catalog import FILE")]
    [InlineData("catalog learn --postgres", "--postgres needs a value", "moodgrains catalog learn [--postgres CONNECTION]")]
    public async Task A_usage_mistake_prints_the_error_and_the_usage_and_exits_with_2(string args, string error, string usageStart)
    {
        var (exitCode, stdout, stderr) = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"error: {error}", lines[0]);
        Assert.StartsWith($"usage: {usageStart}", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_database_db_status_says_how_to_name_one()
    {
        var (exitCode, _, stderr) = await RunAsync("db status");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: No database: pass --postgres", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_reported_before_the_database_is_looked_for()
    {
        var (exitCode, _, stderr) = await RunAsync("db status --postgres Host=127.0.0.1;Port=1 --nope");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: unknown option '--nope'", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string args)
    {
        // The CLI project is referenced, so its assembly sits beside the tests; run it with the same dotnet host.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "moodgrains.dll"));
        foreach (var word in args.Split(' '))
        {
            info.ArgumentList.Add(word);
        }

        info.Environment.Remove("MOODGRAINS_POSTGRES");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("moodgrains did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
