using MoodGrains.Hosting.Local;

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

    /// <summary>The options the server runs webcam frames with: its appsettings.json "MoodGrains:Vision" section over the defaults.</summary>
    public static VisionOptions ServerLiveOptions()
    {
        using var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "MoodGrains.Server", "appsettings.json")));
        var section = settings.RootElement.GetProperty("MoodGrains").GetProperty("Vision").GetRawText();
        var json = new System.Text.Json.JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
        var options = System.Text.Json.JsonSerializer.Deserialize<VisionOptions>(section, json)!;
        options.ModelDirectory = ModelDirectory;
        return options;
    }

    public void Dispose() => Analyzer.Dispose();
}

[CollectionDefinition(Name)]
public sealed class VisionCollection : ICollectionFixture<VisionFixture>
{
    public const string Name = "vision";
}
