using MoodGrains.Audio.Demo;

namespace MoodGrains.Audio.Tests;

/// <summary>
/// A fact that needs ffmpeg, FluidSynth and the FluidR3 soundfont: skipped with the reason where they are absent
/// (a developer's machine without the Debian packages), run (and failing) under CI=true.
/// </summary>
public sealed class AudioToolsFactAttribute : FactAttribute
{
    public AudioToolsFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (DemoLibrary.MissingTools() is { } missing && !inCi)
        {
            Skip = $"needs the Debian packages ffmpeg, fluidsynth and fluid-soundfont-gm; missing: {missing}";
        }
    }
}
