using System.Globalization;

namespace MoodGrains.Cli;

/// <summary>Minimal "--name value" / "--flag" parsing for commands; unknown options are usage errors.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    private CliArgs()
    {
    }

    public static bool TryParse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags, out CliArgs parsed, out string error)
    {
        parsed = new CliArgs();
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (flags.Contains(name))
            {
                parsed._options[name] = null;
            }
            else if (valueOptions.Contains(name))
            {
                if (i + 1 >= args.Count)
                {
                    error = $"{name} needs a value";
                    return false;
                }

                parsed._options[name] = args[++i];
            }
            else
            {
                error = $"unknown option: {name}";
                return false;
            }
        }

        return true;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        _options.GetValueOrDefault(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
