
namespace MoodGrains.Cli.Load;

/// <summary>The JPEG frames simulated members send: face photos made webcam-like once, before the run starts.</summary>
internal static class LoadFrames
{
    /// <summary>The single-face photos of the shared expression set; its other photos hold several faces.</summary>
    private static readonly string[] ExpressionPhotos = ["angry", "disgusted", "fearful", "happy", "neutral", "sad", "surprised"];

    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp"];

    /// <summary>The shared expression photos, looked up as ../shared/data/expression-photos from the working directory upward.</summary>
    public static string? FindDefaultDirectory()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "expression-photos"));
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The seven expression photos when the folder has them, else every image in it, each centre-cropped to 4:3,
    /// scaled to <paramref name="width"/>x<paramref name="height"/> and encoded as JPEG q80, as the web page does with a
    /// webcam frame before sending it.
    /// </summary>
    public static IReadOnlyList<(string Name, byte[] Jpeg)> Load(string directory, int width = 320, int height = 240)
    {
        var images = Directory.EnumerateFiles(directory)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var expressions = images.Where(f => ExpressionPhotos.Contains(Path.GetFileNameWithoutExtension(f), StringComparer.OrdinalIgnoreCase)).ToList();
        var chosen = expressions.Count == ExpressionPhotos.Length ? expressions : images;
        return chosen.Select(f => (Path.GetFileNameWithoutExtension(f), WebcamFrame.FromPhoto(f, width, height, jpegQuality: 80))).ToList();
    }
}
