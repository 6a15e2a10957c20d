using MoodGrains.Cli.Commands;

namespace MoodGrains.Cli;

internal static class CommandTable
{
    public static readonly ICliCommand[] Commands =
    [
        new DbMigrateCommand(),
        new DbStatusCommand(),
        new CatalogImportCommand(),
        new CatalogLearnCommand(),
        new BenchFailoverCommand(),
        new BenchRecsCommand(),
        new BenchMoodFollowCommand(),
        new EvalRecsCommand(),
        new FitContentCommand(),
        new EvalFerCommand(),
        new FitEmotionHeadCommand(),
        new FitEmotionEnsembleCommand(),
        new TrainEmotionCommand(),
        new ExportEmotionCommand(),
        new BenchVisionCommand(),
        new LoadCommand(),
        new LibraryMakeDemoCommand(),
        new LibraryAnalyzeCommand(),
        new LibraryScanCommand(),
        new BenchAudioCommand(),
        new ChaosCommand(),
    ];
}
