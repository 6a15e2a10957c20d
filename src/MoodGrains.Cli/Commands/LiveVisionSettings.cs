using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using MoodGrains.Vision;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// The vision setting the server runs: the <c>MoodGrains:Vision</c> section of <c>src/MoodGrains.Server/appsettings.json</c>
/// bound over the library's defaults with the same configuration binder the server uses, so "live" in the CLI and
/// the server cannot drift apart. Environment variables or command-line overrides given to a running server are not seen.
/// </summary>
internal static class LiveVisionSettings
{
    public const string RelativePath = "src/MoodGrains.Server/appsettings.json";

    /// <summary>The server's appsettings.json above the working directory or the executable, or null.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Binds the file's vision section. The server resolves a relative <c>ModelDirectory</c> beside its binaries,
    /// where the build copies <c>models/</c>; here it is <paramref name="modelDirectory"/>, the same files.
    /// </summary>
    public static VisionOptions Load(string appsettingsPath, string modelDirectory)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        using (var document = JsonDocument.Parse(File.ReadAllText(appsettingsPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
        {
            Flatten(document.RootElement, null, values);
        }

        var options = new VisionOptions();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(VisionOptions.Section).Bind(options);
        if (!Path.IsPathRooted(options.ModelDirectory))
        {
            options.ModelDirectory = modelDirectory;
        }

        return options;
    }

    /// <summary>JSON to configuration keys as the JSON configuration provider makes them ("A:B", arrays "A:0").</summary>
    private static void Flatten(JsonElement element, string? prefix, Dictionary<string, string?> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, prefix is null ? property.Name : $"{prefix}:{property.Name}", values);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, $"{prefix}:{index.ToString(CultureInfo.InvariantCulture)}", values);
                    index++;
                }

                break;
            case JsonValueKind.Null:
                values[prefix ?? ""] = null;
                break;
            case JsonValueKind.String:
                values[prefix ?? ""] = element.GetString();
                break;
            default:
                // Numbers and booleans as written: the binder parses them with the invariant culture, as from JSON.
                values[prefix ?? ""] = element.GetRawText();
                break;
        }
    }
}
