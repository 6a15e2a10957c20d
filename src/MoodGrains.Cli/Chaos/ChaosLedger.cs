using System.Collections.Concurrent;

namespace MoodGrains.Cli.Chaos;

/// <summary>
/// What the probes did that the database must reflect afterwards: tracks members added (answered with success, or
/// with an error that may or may not have taken effect) and skips that happened. The table checks compare the
/// stored rows with it.
/// </summary>
internal sealed class ChaosLedger
{
    private readonly ConcurrentQueue<(string Room, long TrackId, string UserId, bool Accepted)> _adds = new();
    private readonly ConcurrentDictionary<string, int> _skips = new(StringComparer.Ordinal);

    public IReadOnlyCollection<(string Room, long TrackId, string UserId, bool Accepted)> Adds => _adds;

    public IReadOnlyDictionary<string, int> Skips => _skips;

    /// <summary>A member's AddTrack; <paramref name="accepted"/> false for one answered with an error other than a refusal.</summary>
    public void TrackAdded(string room, long trackId, string userId, bool accepted) => _adds.Enqueue((room, trackId, userId, accepted));

    /// <summary>The current track of <paramref name="room"/> was skipped (by the host or by votes) <paramref name="count"/> times.</summary>
    public void Skipped(string room, int count = 1) => _skips.AddOrUpdate(room, count, (_, n) => n + count);

    /// <summary>A room that must be checked for skips even if it had none (a room that a refused attack left alone).</summary>
    public void ExpectSkips(string room) => _skips.TryAdd(room, 0);
}
