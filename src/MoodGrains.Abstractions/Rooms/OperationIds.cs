namespace MoodGrains.Abstractions.Rooms;

/// <summary>
/// The operation id a retried command carries, so a grain that already applied it answers the repeat instead of
/// applying it twice. The caller puts it in the Orleans <c>RequestContext</c> once per client request and keeps it
/// across retries; grains read it there, which leaves every grain method's signature as it is.
/// </summary>
public static class OperationIds
{
    public const string RequestContextKey = "moodgrains.op";

    /// <summary>How many recent operation ids a grain remembers (persisted with its state).</summary>
    public const int Remembered = 64;

    public static string NewId() => Guid.NewGuid().ToString("N");
}

/// <summary>
/// A grain could not save a change, so the change did not take effect (the grain reloaded its saved state). Nothing
/// was applied: the command may be retried as it was.
/// </summary>
[GenerateSerializer, Alias("moodgrains.StateNotSavedException")]
public sealed class StateNotSavedException : Exception
{
    private const string NotSaved = "The change could not be saved and did not take effect; try again.";

    public StateNotSavedException()
        : base(NotSaved)
    {
    }

    /// <summary>The write failed with <paramref name="innerException"/>.</summary>
    public StateNotSavedException(Exception innerException)
        : base(NotSaved, innerException)
    {
    }

    public StateNotSavedException(string message)
        : base(message)
    {
    }

    public StateNotSavedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
