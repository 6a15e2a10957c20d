namespace MoodGrains.Testing;

/// <summary>
/// Locates the read-only evaluation data in <c>../shared/data</c> beside the repository.
/// Outside CI a missing folder skips the tests that need it (with the reason); under CI=true it is a failure.
/// </summary>
public static class SharedData
{
    public static string? Root { get; } = Find();

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The path of a file or folder under shared/data, or null when shared/data is absent outside CI.</summary>
    public static string? PathOf(string relative)
    {
        if (Root is null)
        {
            if (InCi)
            {
                throw new InvalidOperationException("CI=true but ../shared/data was not found beside the repository.");
            }

            return null;
        }

        return System.IO.Path.Combine(Root, relative);
    }

    public const string MissingReason = "../shared/data is not beside this clone; these tests need the evaluation data.";

    private static string? Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable("MOODGRAINS_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MoodGrains.sln")))
            {
                var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
