using Microsoft.Extensions.Logging;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Mood;

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

    /// <summary>The room closed after standing empty (see <see cref="RoomLifetime"/>).</summary>
    Task RoomClosedAsync(string roomCode, CancellationToken cancellationToken) => Task.CompletedTask;
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

/// <summary>
/// Everything a room reaches outside the cluster, in one bundle so the grain's constructor stays short, with the rule
/// for their outages: a recommender or listening-log failure is logged and the room carries on. The host registers
/// the ports and this bundle; tests pass in-memory ports.
/// </summary>
public sealed partial class RoomPorts(
    IRoomNotifier notifier,
    IRoomRecommender recommender,
    ITrackCatalog catalog,
    IListeningLog listeningLog,
    IRoomDirectory directory,
    IRoomPlaybackOutput playbackOutput,
    ILogger<RoomPorts> logger)
{
    public IRoomNotifier Notifier => notifier;

    public ITrackCatalog Catalog => catalog;

    public IRoomDirectory Directory => directory;

    public IRoomPlaybackOutput PlaybackOutput => playbackOutput;

    /// <summary>The recommender's picks, or null when it failed: an outage leaves the queue short, not the room broken; the next change tries again.</summary>
    public async Task<RoomRecommendation?> TryRecommendAsync(RoomRecommendationRequest request)
    {
        try
        {
            return await recommender.RecommendAsync(request, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogRefillFailed(e, request.RoomCode);
            return null;
        }
    }

    /// <summary>Writes one play to the history; losing it must not stop the music, so a failure is logged loudly instead.</summary>
    public async Task TryRecordAsync(IReadOnlyList<ListeningRecord> records, string roomCode, long trackId)
    {
        try
        {
            await listeningLog.RecordAsync(records, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogListeningLogFailed(e, roomCode, trackId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Room {RoomCode} could not record the play of track {TrackId}")]
    private partial void LogListeningLogFailed(Exception exception, string roomCode, long trackId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomCode} could not refill its queue")]
    private partial void LogRefillFailed(Exception exception, string roomCode);
}
