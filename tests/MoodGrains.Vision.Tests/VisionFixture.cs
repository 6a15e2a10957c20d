using MoodGrains.Testing;

namespace MoodGrains.Vision.Tests;

/// <summary>One analyzer with the shipped defaults for the whole test assembly: loading the models once keeps the run short.</summary>
public sealed class VisionFixture : IDisposable
{
    public VisionFixture()
    {
        Analyzer = new FrameAnalyzer(DefaultOptions());
    }

    public FrameAnalyzer Analyzer { get; }

    public static string ModelDirectory { get; } = Path.Combine(RepositoryRoot.Path, "models");

    public static VisionOptions DefaultOptions() => new() { ModelDirectory = ModelDirectory };

    public void Dispose() => Analyzer.Dispose();
}

[CollectionDefinition(Name)]
public sealed class VisionCollection : ICollectionFixture<VisionFixture>
{
    public const string Name = "vision";
}
