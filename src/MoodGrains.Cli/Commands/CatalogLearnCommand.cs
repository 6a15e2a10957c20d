using MoodGrains.Music.Features;
using MoodGrains.Storage;
using MoodGrains.Storage.Catalog;
using Npgsql;

namespace MoodGrains.Cli.Commands;

/// <summary><c>moodgrains catalog learn [--postgres CS]</c>: recomputes learned mood positions from listening_events.</summary>
internal sealed class CatalogLearnCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["catalog", "learn"];

    public string Summary => "learn tracks' mood positions from listening_events and fill missing valence/energy as 'learned'";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var connectionString = CliArgs.Parse(args, "moodgrains catalog learn [--postgres CONNECTION]", ["--postgres"], []).Postgres();
        await DatabaseMigrator.MigrateAsync(connectionString, cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var run = await new LearnedMoodFeatureSource(new LearnedMoodRepository(dataSource)).UpdateAsync(cancellationToken);
        Console.WriteLine($"{run.TracksConsidered} tracks with listening evidence; features written for {run.TracksWritten} " +
            $"(confidence >= {LearnedMoodFeatureSource.MinConfidenceForFeatures}, no imported or editorial value)");
        return 0;
    }
}
