namespace MoodGrains.Server.Backplane;

/// <summary>
/// Turns the client's connected flag, read once a watch, into the changes worth a log line: a state once it has held
/// for <see cref="Watches"/> readings in a row, except a first reading that is connected, reported at once. A connection
/// that drops and comes back between two readings, or answers for one reading while Redis is restarting, is one outage
/// in the log, not several; a first connection still being made when the watch starts (a busy machine) is no outage.
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
        var firstAnswer = connected && _reported is null;
        if (connected == _reported || (_streak < Watches && !firstAnswer))
        {
            return null;
        }

        _reported = connected;
        return connected;
    }
}
