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
        var connectionString = Environment.GetEnvironmentVariable("MOODGRAINS_POSTGRES");
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--postgres" && i + 1 < args.Count)
            {
                connectionString = args[++i];
            }
            else
            {
                Console.Error.WriteLine($"error: unknown argument '{args[i]}'");
                Console.Error.WriteLine("usage: moodgrains catalog learn [--postgres CONNECTION]");
                return 2;
            }
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("error: no database: set MOODGRAINS_POSTGRES or pass --postgres");
            return 2;
        }

        await DatabaseMigrator.MigrateAsync(connectionString, cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var run = await new LearnedMoodFeatureSource(new LearnedMoodRepository(dataSource)).UpdateAsync(cancellationToken);
        Console.WriteLine($"{run.TracksConsidered} tracks with listening evidence; features written for {run.TracksWritten} " +
            $"(confidence >= {LearnedMoodFeatureSource.MinConfidenceForFeatures}, no imported or editorial value)");
        return 0;
    }
}
