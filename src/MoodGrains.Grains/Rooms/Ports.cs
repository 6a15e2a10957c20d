using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Grains.Rooms;

/// <summary>What a room asks for when its queue runs low.</summary>
/// <param name="AnyoneOnSpotify">A member follows the room on Spotify, so tracks without audio here can still be heard.</param>
public sealed record RoomRecommendationRequest(
    string RoomCode,
    IReadOnlyList<MemberMood> Members,
    GroupMood Mood,
    MoodPolicy Policy,
    IReadOnlyCollection<long> RecentTrackIds,
    int Count,
    MoodPoint? PreviousTarget,
    bool AnyoneOnSpotify = false);

public sealed record RecommendedTrack(TrackInfo Track, string Reason);

/// <summary>The picks, and the mood point they aim at (the room walks toward its policy's goal one step per refill).</summary>
public sealed record RoomRecommendation(IReadOnlyList<RecommendedTrack> Tracks, MoodPoint Target);

/// <summary>The recommender as rooms see it; the host wires the real one (content + collaborative filtering).</summary>
public interface IRoomRecommender
{
    Task<RoomRecommendation> RecommendAsync(RoomRecommendationRequest request, CancellationToken cancellationToken);
}

/// <summary>The catalogue, for a host searching and adding a track.</summary>
public interface ITrackCatalog
{
    Task<TrackInfo?> FindAsync(long trackId, CancellationToken cancellationToken);

    Task<IReadOnlyList<TrackInfo>> SearchAsync(string query, int limit, CancellationToken cancellationToken);

    /// <summary>Whether this server streams a library at all; without one, "no audio here" is true of every track and not worth saying.</summary>
    Task<bool> HasAudioLibraryAsync(CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>One member's play of one track, with their mood at the time.</summary>
public sealed record ListeningRecord(
    string UserId,
    long TrackId,
    string? RoomCode,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    TrackOutcome Outcome,
    MoodSnapshot Mood);

/// <summary>Where rooms write what was played (PostgreSQL <c>listening_events</c>), so collaborative filtering learns from rooms.</summary>
public interface IListeningLog
{
    Task RecordAsync(IReadOnlyList<ListeningRecord> records, CancellationToken cancellationToken);
}

/// <summary>
/// The relational record of rooms and listeners (PostgreSQL <c>rooms</c> and <c>users</c>), beside the grains' own
/// state: what reports, clean-up jobs and the recommender's training join against.
/// </summary>
public interface IRoomDirectory
{
    Task RoomOpenedAsync(string roomCode, string hostUserId, bool isSolo, CancellationToken cancellationToken);

    Task MemberSeenAsync(string userId, string displayName, CancellationToken cancellationToken);
}

/// <summary>
/// What a room's members' own players should be doing now: the room's now-playing (null when nothing is queued)
/// and who follows on Spotify. Published after every committed change; the receiver works out the commands.
/// </summary>
public sealed record RoomPlaybackTarget(string RoomCode, NowPlaying? NowPlaying, IReadOnlyList<SpotifyListener> Listeners);

/// <summary>
/// The way out to external players (Spotify Connect devices). Fire and forget: a slow or failing provider must never
/// hold the room, so implementations queue the work and report failures to the member themselves.
/// </summary>
public interface IRoomPlaybackOutput
{
    void Publish(RoomPlaybackTarget target);
}
