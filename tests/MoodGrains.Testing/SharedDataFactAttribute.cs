using Xunit;

namespace MoodGrains.Testing;

/// <summary>
/// A fact that needs ../shared/data: skipped with the reason where the folder is absent (a user's clone),
/// run (and failing if the data is missing) under CI=true.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Root is null && !SharedData.InCi)
        {
            Skip = SharedData.MissingReason;
        }
    }
}

/// <summary>The theory counterpart of <see cref="SharedDataFactAttribute"/>.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (SharedData.Root is null && !SharedData.InCi)
        {
            Skip = SharedData.MissingReason;
        }
    }
}
