using System.Collections.Concurrent;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>
/// The room ports of <c>Grains/Rooms/Ports.cs</c> in memory, shared by every test on the cluster. Tests tell their
/// rooms apart by code, so each test works on its own rooms and reads only their records.
/// </summary>
public sealed class InMemoryPorts : IRoomNotifier, IRoomRecommender, ITrackCatalog, IListeningLog, IRoomDirectory, IRoomPlaybackOutput
{
    private readonly ConcurrentQueue<RoomSnapshot> _snapshots = new();
    private readonly ConcurrentQueue<RoomMoodUpdate> _moods = new();
    private readonly ConcurrentQueue<(string Room, string User)> _removed = new();
    private readonly ConcurrentQueue<ListeningRecord> _plays = new();
    private readonly ConcurrentDictionary<string, (string Host, bool Solo)> _rooms = new();
    private readonly ConcurrentDictionary<string, string> _users = new();
    private readonly ConcurrentQueue<RoomPlaybackTarget> _targets = new();
    private readonly ConcurrentDictionary<string, bool> _failingRecommendations = new();

    /// <summary>Forty tracks: "Love song 0..9", "Rain song 10..19" and so on, each three minutes long.</summary>
    public IReadOnlyList<TrackInfo> Tracks { get; } = Enumerable.Range(0, 40)
        .Select(i => new TrackInfo(1000 + i, $"{(i / 10) switch { 0 => "Love", 1 => "Rain", 2 => "Dance", _ => "Night" }} song {i}", ["Test Artist"], 180_000, null, null))
        .ToArray();

    /// <summary>Makes the recommender fail for one room (an outage), or work again.</summary>
    public void FailRecommendations(string roomCode, bool fail) => _failingRecommendations[roomCode] = fail;

    public IReadOnlyList<RoomSnapshot> Snapshots(string roomCode) => _snapshots.Where(s => s.Code == roomCode).ToList();

    public IReadOnlyList<RoomMoodUpdate> Moods(string roomCode) => _moods.Where(m => m.Code == roomCode).ToList();

    public IReadOnlyList<string> Removed(string roomCode) => _removed.Where(r => r.Room == roomCode).Select(r => r.User).ToList();

    public IReadOnlyList<ListeningRecord> Plays(string roomCode) => _plays.Where(p => p.RoomCode == roomCode).ToList();

    public IReadOnlyList<RoomPlaybackTarget> Targets(string roomCode) => _targets.Where(t => t.RoomCode == roomCode).ToList();

    public (string Host, bool Solo)? Room(string roomCode) => _rooms.TryGetValue(roomCode, out var room) ? room : null;

    public string? UserName(string userId) => _users.GetValueOrDefault(userId);

    public Task RoomChangedAsync(RoomSnapshot snapshot)
    {
        _snapshots.Enqueue(snapshot);
        return Task.CompletedTask;
    }

    public Task MoodChangedAsync(RoomMoodUpdate update)
    {
        _moods.Enqueue(update);
        return Task.CompletedTask;
    }

    public Task MemberRemovedAsync(string roomCode, string userId)
    {
        _removed.Enqueue((roomCode, userId));
        return Task.CompletedTask;
    }

    public Task<RoomRecommendation> RecommendAsync(RoomRecommendationRequest request, CancellationToken cancellationToken)
    {
        if (_failingRecommendations.GetValueOrDefault(request.RoomCode))
        {
            throw new InvalidOperationException("The recommender is down.");
        }

        // The calm policy picks from the back of the catalogue and a sad room from the rain songs, so a policy change or
        // a mood shift visibly re-picks.
        var candidates = request.Policy == MoodPolicy.Calm ? Tracks.Reverse()
            : request.Mood.Point.Valence < -0.2f ? Tracks.Skip(10).Concat(Tracks.Take(10))
            : Tracks;
        var picks = candidates
            .Where(t => !request.RecentTrackIds.Contains(t.TrackId))
            .Take(request.Count)
            .Select(t => new RecommendedTrack(t, $"fits the {request.Policy} mood"))
            .ToList();
        var target = request.PreviousTarget is { } previous ? new MoodPoint(previous.Valence + 0.1f, previous.Arousal) : new MoodPoint(0, 0);
        return Task.FromResult(new RoomRecommendation(picks, target));
    }

    public Task<TrackInfo?> FindAsync(long trackId, CancellationToken cancellationToken) =>
        Task.FromResult(Tracks.FirstOrDefault(t => t.TrackId == trackId));

    public Task<IReadOnlyList<TrackInfo>> SearchAsync(string query, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TrackInfo>>(
            Tracks.Where(t => t.Title.Contains(query, StringComparison.OrdinalIgnoreCase)).Take(limit).ToList());

    public Task RecordAsync(IReadOnlyList<ListeningRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            _plays.Enqueue(record);
        }

        return Task.CompletedTask;
    }

    public Task RoomOpenedAsync(string roomCode, string hostUserId, bool isSolo, CancellationToken cancellationToken)
    {
        _rooms[roomCode] = (hostUserId, isSolo);
        return Task.CompletedTask;
    }

    public Task MemberSeenAsync(string userId, string displayName, CancellationToken cancellationToken)
    {
        _users[userId] = displayName;
        return Task.CompletedTask;
    }

    public void Publish(RoomPlaybackTarget target) => _targets.Enqueue(target);
}
