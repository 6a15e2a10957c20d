namespace MoodGrains.Grains.Rooms;

/// <summary>
/// Who has a page open, from the connection counts each server reports per member. A member nobody has reported on
/// counts as present (a room reactivated after a restart has not heard yet); one whose counts are all zero is gone
/// since the moment the last one closed, and away once that is longer ago than the grace period.
/// Kept in memory: connections do not outlive the servers that hold them.
/// </summary>
public sealed class RoomPresence
{
    private readonly Dictionary<string, Dictionary<string, int>> _counts = [];
    private readonly Dictionary<string, DateTimeOffset> _goneSince = [];

    /// <summary>Takes in one server's count for a member; returns true when the member has a connection open anywhere.</summary>
    public bool Report(string userId, string source, int count, DateTimeOffset now)
    {
        if (!_counts.TryGetValue(userId, out var bySource))
        {
            _counts[userId] = bySource = [];
        }

        bySource[source] = Math.Max(0, count);
        if (bySource.Values.Any(c => c > 0))
        {
            _goneSince.Remove(userId);
            return true;
        }

        _goneSince.TryAdd(userId, now);
        return false;
    }

    public void Forget(string userId)
    {
        _counts.Remove(userId);
        _goneSince.Remove(userId);
    }

    /// <summary>Marks the members of <paramref name="state"/> gone for at least <paramref name="grace"/> as away (their skip votes dropped); returns the newly away.</summary>
    public IReadOnlyList<string> MarkAway(RoomState state, DateTimeOffset now, TimeSpan grace)
    {
        var away = AwayAt(now, grace).Where(u => RoomMembership.IsMember(state, u) && state.IsPresent(u)).ToList();
        state.Away.AddRange(away);
        // Whoever is away no longer counts toward a skip; otherwise voting and closing the page would add up to one.
        RoomMembership.DropVotes(state, away);
        return away;
    }

    public static string AwayNote(IReadOnlyList<string> names) => string.Join(", ", names) + (names.Count == 1 ? " is away" : " are away");

    /// <summary>Members gone for at least <paramref name="grace"/>.</summary>
    public IEnumerable<string> AwayAt(DateTimeOffset now, TimeSpan grace) =>
        _goneSince.Where(g => now - g.Value >= grace).Select(g => g.Key);

    /// <summary>When the next member who is gone but not yet away will pass the grace period, if anyone.</summary>
    public DateTimeOffset? NextDeadline(IReadOnlyCollection<string> away, TimeSpan grace)
    {
        var pending = _goneSince.Where(g => !away.Contains(g.Key)).Select(g => g.Value + grace).ToList();
        return pending.Count > 0 ? pending.Min() : null;
    }
}
