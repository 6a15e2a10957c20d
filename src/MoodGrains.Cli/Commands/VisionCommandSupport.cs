using MoodGrains.Vision;

namespace MoodGrains.Cli.Commands;

/// <summary>Argument parsing and model lookup shared by the vision commands.</summary>
internal sealed class VisionArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);

    private VisionArgs()
    {
    }

    public string? Error { get; private set; }

    /// <summary>Parses "--name value" pairs and bare "--flag"s; <paramref name="flags"/> take no value.</summary>
    public static VisionArgs Parse(IReadOnlyList<string> args, IReadOnlySet<string> options, IReadOnlySet<string> flags)
    {
        var parsed = new VisionArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (flags.Contains(name))
            {
                parsed._values[name] = null;
            }
            else if (options.Contains(name))
            {
                if (i + 1 >= args.Count)
                {
                    parsed.Error = $"{name} needs a value";
                    return parsed;
                }

                parsed._values[name] = args[++i];
            }
            else
            {
                parsed.Error = $"unknown argument '{name}'";
                return parsed;
            }
        }

        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    public bool TryGetInt(string name, int fallback, out int value)
    {
        value = fallback;
        var text = Get(name);
        return text is null || (int.TryParse(text, out value) && value > 0);
    }

    /// <summary>
    /// The models folder: --models, else MOODGRAINS_MODELS, else the first "models" folder holding the ONNX files
    /// above the working directory or the executable.
    /// </summary>
    public string? FindModelDirectory()
    {
        var explicitDir = Get("--models") ?? Environment.GetEnvironmentVariable("MOODGRAINS_MODELS");
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

    public static int Usage(string message, string usage)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine($"usage: {usage}");
        return 2;
    }
}
