using MoodGrains.Audio.Demo;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// A small demo library (the same pieces <c>moodgrains library make-demo --count 3</c> writes), rendered once per test
/// class into a temporary folder that the silos serve through <c>MOODGRAINS_LIBRARY</c>.
/// </summary>
public sealed class DemoLibraryFixture : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "moodgrains-e2e-library-" + Guid.NewGuid().ToString("N"));

    public IReadOnlyList<DemoTrack> Tracks { get; private set; } = [];

    /// <summary>The environment a silo needs to serve this library.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["MOODGRAINS_LIBRARY"] = Directory };

    public async Task InitializeAsync() => Tracks = await DemoLibrary.MakeAsync(Directory, count: 3);

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
