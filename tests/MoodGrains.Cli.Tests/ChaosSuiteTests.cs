using MoodGrains.Cli.Chaos;
using MoodGrains.Vision.Imaging;
using Xunit.Abstractions;

namespace MoodGrains.Cli.Tests;

/// <summary>
/// The chaos and abuse suite against its own private cluster (two real silo processes, real PostgreSQL and Redis):
/// a behaviour suite, so the assertion is that every row holds, and a failure lists the rows that did not.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class ChaosSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_probe_of_the_chaos_suite_holds_against_a_two_silo_cluster()
    {
        var rows = await ChaosSuite.RunAsync(output.WriteLine, CancellationToken.None);
        output.WriteLine(ChaosReport.Table(rows));

        Assert.Equal(ChaosSuite.Probes.Count + 2, rows.Count);
        var failed = rows.Where(r => !r.Held).Select(r => $"{r.Probe}: expected {r.Expected}; observed {r.Observed}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} row(s) did not hold:\n" + string.Join("\n", failed));
    }

    [Theory]
    [InlineData("CB25A6", 0xCB25A6, null)] // reads as a hexadecimal number: Orleans stores it as an integer key
    [InlineData("0A1B2C", 0x0A1B2C, null)]
    [InlineData("ZK3P9Q", 0, "ZK3P9Q")]
    [InlineData("CB25AG", 0, "CB25AG")]
    public void The_room_state_check_finds_a_room_under_the_key_Orleans_stores_it_by(string code, long n1, string? extension)
    {
        Assert.Equal((n1, extension), ChaosTables.StorageKey(code));
    }

    [Fact]
    public void The_decode_bomb_is_a_small_progressive_jpeg_with_thousands_of_scans_within_the_pixel_limit()
    {
        var bomb = ProgressiveJpegBomb.Create();

        Assert.True(JpegStructure.TryRead(bomb, out var structure));
        Assert.True(structure.Progressive);
        Assert.Equal((1024, 1024), (structure.Width, structure.Height));
        // The server's live pixel limit is 1920x1080 (appsettings.json): the bomb must pass it to reach the scan check.
        Assert.True(structure.PixelCount <= 1920 * 1080);
        Assert.Equal(5_000, structure.Scans);
        Assert.InRange(bomb.Length, 30_000, 200_000);
    }

    [Fact]
    public async Task The_chaos_command_is_listed_and_refuses_unknown_options_and_probes()
    {
        var command = CommandTable.Commands.Single(c => c.Path.SequenceEqual(["chaos"]));

        var refused = await Assert.ThrowsAsync<UsageException>(() => command.RunAsync(["--fast"], CancellationToken.None));
        Assert.Equal("unknown option '--fast'", refused.Message);
        Assert.Equal("moodgrains chaos [--probe TEXT[|TEXT...]] [--json]", refused.Usage);
        var unknown = await Assert.ThrowsAsync<UsageException>(() => command.RunAsync(["--probe", "no such probe"], CancellationToken.None));
        Assert.StartsWith("no probe is named like 'no such probe'; the probes are: non-member room read, ", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_aligns_its_columns_and_counts_the_rows_that_did_not_hold()
    {
        var table = ChaosReport.Table([new("a", "x", "seen", true), new("longer probe", "expected", "o", false)]);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("probe         expected  observed  held", lines[0]);
        Assert.Equal("a             x         seen      yes", lines[2]);
        Assert.Equal("longer probe  expected  o         NO", lines[3]);
        Assert.Equal("1 of 2 rows do not hold", lines[4]);
    }
}

/// <summary>The suite runs alone: it starts three servers and floods them, which other tests on 2 cores would disturb.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection
{
    public const string Name = "chaos";
}
