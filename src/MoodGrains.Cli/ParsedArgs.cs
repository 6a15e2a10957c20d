namespace MoodGrains.Cli;

/// <summary>
/// "--name value" options, "--flag" switches and positional words, as the commands here use them.
/// Unknown options are reported, not ignored, so a typo never silently falls back to a default.
/// </summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public ParsedArgs(IReadOnlyList<string> args, params string[] switches)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                Positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                _options[name[..equals]] = name[(equals + 1)..];
            }
            else if (switches.Contains(name, StringComparer.OrdinalIgnoreCase) || i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                _options[name] = null;
            }
            else
            {
                _options[name] = args[++i];
            }
        }
    }

    public List<string> Positional { get; } = [];

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var value) ? value : null;
    }

    public int Int(string name, int fallback)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, out var value) ? value : throw new UsageException($"--{name} takes a whole number, not '{text}'.");
    }

    /// <summary>The PostgreSQL connection string from --postgres or MOODGRAINS_POSTGRES.</summary>
    public string Postgres() =>
        String("postgres") ?? Environment.GetEnvironmentVariable("MOODGRAINS_POSTGRES")
        ?? throw new UsageException("No database: pass --postgres \"Host=...;Database=...\" or set MOODGRAINS_POSTGRES (./run.sh prints the embedded one).");

    /// <summary>Throws a usage error naming any option no command asked about.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException("unknown option(s): " + string.Join(", ", unknown.Select(k => "--" + k)));
        }
    }
}

/// <summary>A mistake in how a command was called; the dispatcher prints it and exits with code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
