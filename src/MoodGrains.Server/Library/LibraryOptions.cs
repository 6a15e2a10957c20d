using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MoodGrains.Server.Library;

/// <summary>The operator's music library the server streams from. Bound from <c>MoodGrains:Library</c>.</summary>
public sealed class LibraryOptions
{
    public const string Section = "MoodGrains:Library";

    /// <summary>The library root (env <c>MOODGRAINS_LIBRARY</c>); unset means no audio is served. Nothing outside it is ever streamed.</summary>
    public string? Directory { get; set; }

    /// <summary>How long a signed <c>/media</c> URL stays valid.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Scan the library in the background when the server starts.</summary>
    public bool ScanOnStart { get; set; } = true;
}

/// <summary>A configured library folder must exist: a typo would otherwise leave every page silent without a word.</summary>
public sealed class LibraryOptionsValidator : IValidateOptions<LibraryOptions>
{
    public ValidateOptionsResult Validate(string? name, LibraryOptions options) =>
        string.IsNullOrWhiteSpace(options.Directory) || System.IO.Directory.Exists(options.Directory)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{LibraryOptions.Section}:Directory (MOODGRAINS_LIBRARY) is {options.Directory}, which is not a folder.");
}
