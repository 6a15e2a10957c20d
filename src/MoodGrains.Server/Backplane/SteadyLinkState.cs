namespace MoodGrains.Server.Backplane;

/// <summary>
/// Turns the client's connected flag, read once a watch, into the changes worth a log line: the first reading, then a
/// new state only once it has held for <see cref="Watches"/> readings in a row. A connection that drops and comes back
/// between two readings, or answers for one reading while Redis is restarting, is one outage in the log, not several.
/// </summary>
internal sealed class SteadyLinkState(int watches = 2)
{
    private bool? _reported;
    private bool _last;
    private int _streak;

    public int Watches { get; } = watches >= 1 ? watches : throw new ArgumentOutOfRangeException(nameof(watches), watches, "At least one reading.");

    /// <summary>The state to report now, or null when nothing changed that deserves a line.</summary>
    public bool? Observe(bool connected)
    {
        _streak = connected == _last ? _streak + 1 : 1;
        _last = connected;
        if (connected == _reported || (_reported is not null && _streak < Watches))
        {
            return null;
        }

        _reported = connected;
        return connected;
    }
}
