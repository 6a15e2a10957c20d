using MoodGrains.Vision;

namespace MoodGrains.Cli.Commands;

/// <summary>Model lookup shared by the vision commands.</summary>
internal static class ModelFolder
{
    /// <summary>
    /// The models folder: <paramref name="explicitDir"/> (--models), else MOODGRAINS_MODELS, else the first "models"
    /// folder holding the ONNX files above the working directory or the executable.
    /// </summary>
    public static string? Find(string? explicitDir)
    {
        explicitDir ??= Environment.GetEnvironmentVariable("MOODGRAINS_MODELS");
        if (!string.IsNullOrEmpty(explicitDir))
        {
            return explicitDir;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models");
                if (File.Exists(Path.Combine(candidate, new VisionOptions().XceptionFile)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
