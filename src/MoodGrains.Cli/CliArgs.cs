using System.Globalization;

namespace MoodGrains.Cli;

/// <summary>
/// The one argument parser of every command: "--name value" or "--name=value" for the options a command declares,
/// bare "--flag"s, and positional words only where a command takes them. Anything else is a usage error, so a typo
/// never silently falls back to a default. Option names ignore case, as command words do.
/// </summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _positional = [];

    private CliArgs(string usage)
    {
        Usage = usage;
    }

    /// <summary>The command's usage line, printed after every usage error.</summary>
    public string Usage { get; }

    public IReadOnlyList<string> Positional => _positional;

    /// <summary>Parses <paramref name="args"/> or throws a <see cref="UsageException"/> naming the first mistake.</summary>
    /// <param name="args">The words after the command's path.</param>
    /// <param name="usage">The usage line, e.g. "moodgrains eval recs --lastfm DIR [--json]".</param>
    /// <param name="valueOptions">Options that take a value, with their dashes: "--seed".</param>
    /// <param name="flags">Options that take none: "--json".</param>
    /// <param name="positional">Whether words that are not options are allowed (the command checks how many).</param>
    public static CliArgs Parse(IReadOnlyList<string> args, string usage, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags, bool positional = false)
    {
        var parsed = new CliArgs(usage);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!positional)
                {
                    throw parsed.Fail($"unexpected argument '{arg}'");
                }

                parsed._positional.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            if (Contains(flags, name))
            {
                if (equals >= 0)
                {
                    throw parsed.Fail($"{name} takes no value");
                }

                parsed._options[name] = null;
            }
            else if (Contains(valueOptions, name))
            {
                if (equals >= 0)
                {
                    parsed._options[name] = arg[(equals + 1)..];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    parsed._options[name] = args[++i];
                }
                else
                {
                    // "--users --json" is a forgotten value, not a user count of "--json".
                    throw parsed.Fail($"{name} needs a value");
                }
            }
            else
            {
                throw parsed.Fail($"unknown option '{name}'");
            }
        }

        return parsed;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.GetValueOrDefault(name);

    /// <summary>The value of an option the command cannot run without.</summary>
    public string Required(string name) => Value(name) ?? throw Fail($"{name} is required");

    /// <summary>The existing folder a required option names.</summary>
    public string Folder(string name)
    {
        var directory = Required(name);
        return Directory.Exists(directory) ? directory : throw Fail($"'{directory}' is not a folder");
    }

    /// <summary>The whole number given for <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    public int Int(string name, int fallback, int min = int.MinValue)
    {
        if (Value(name) is not { } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw Fail(min == int.MinValue ? $"{name} takes a whole number, not '{text}'" : $"{name} takes a whole number of at least {min}, not '{text}'");
        }

        return value;
    }

    /// <summary>The finite number given for <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    public double Double(string name, double fallback)
    {
        if (Value(name) is not { } text)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Fail($"{name} takes a number, not '{text}'");
    }

    /// <summary>The PostgreSQL connection string from --postgres, else MOODGRAINS_POSTGRES.</summary>
    public string Postgres()
    {
        var connectionString = Value("--postgres") ?? Environment.GetEnvironmentVariable("MOODGRAINS_POSTGRES");
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw Fail("No database: pass --postgres \"Host=...;Database=...\" or set MOODGRAINS_POSTGRES (./run.sh prints the embedded one).")
            : connectionString;
    }

    /// <summary>A usage error for this command, to throw: <c>throw parsed.Fail("--url is required")</c>.</summary>
    public UsageException Fail(string message) => new(message, Usage);

    private static bool Contains(IReadOnlyCollection<string> names, string name) =>
        names.Contains(name, StringComparer.OrdinalIgnoreCase);
}
