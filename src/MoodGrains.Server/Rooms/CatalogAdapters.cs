using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Server.Persistence;
using MoodGrains.Storage.Catalog;
using MoodGrains.Storage.Listening;

namespace MoodGrains.Server.Rooms;

/// <summary>
/// Rooms' view of the PostgreSQL catalogue. A lookup that meets a connection PostgreSQL dropped when it restarted is
/// made again on fresh connections (<see cref="PostgresRetry"/>): the failure would otherwise cross the grain call
/// without its Npgsql type and reach the member as an unexplained error.
/// </summary>
public sealed class PostgresTrackCatalog(TrackRepository tracks, LibraryRepository library, PostgresRetry retry) : ITrackCatalog
{
    public Task<bool> HasAudioLibraryAsync(CancellationToken cancellationToken) =>
        retry.RunAsync(async () => await library.CountAsync(cancellationToken) > 0, "audio library count");

    public Task<TrackInfo?> FindAsync(long trackId, CancellationToken cancellationToken) =>
        retry.RunAsync(async () => await tracks.GetAsync(trackId, cancellationToken) is { } track ? ToInfo(track) : null, $"lookup of track {trackId}");

    public async Task<IReadOnlyList<TrackInfo>> SearchAsync(string query, int limit, CancellationToken cancellationToken) =>
        (await tracks.SearchAsync(query, limit, cancellationToken)).Select(ToInfo).ToList();

    public static TrackInfo ToInfo(CatalogTrackRow track) => new(
        track.TrackId,
        track.Title,
        track.Artists,
        track.DurationMs,
        track.Album,
        track.SpotifyId is null ? null : "spotify:track:" + track.SpotifyId,
        track.HasAudio);
}

/// <summary>
/// Rooms' plays into <c>listening_events</c>, where the recommender's training reads them. A play that ends while
/// PostgreSQL restarts is written again a moment later (<see cref="PostgresRetry"/>); the table's key makes a repeat of
/// a batch that did land add nothing.
/// </summary>
public sealed class PostgresListeningLog(ListeningEventRepository repository, PostgresRetry retry) : IListeningLog
{
    public async Task RecordAsync(IReadOnlyList<ListeningRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var events = records.Select(r => new ListeningEvent(
            0,
            r.UserId,
            r.TrackId,
            r.RoomCode,
            r.StartedAt,
            r.EndedAt,
            r.Outcome,
            r.Mood.Scores.Probabilities,
            r.Mood.Point.Valence,
            r.Mood.Point.Arousal,
            Math.Clamp(r.Mood.Confidence, 0f, 1f))).ToList();
        await retry.RunAsync(() => repository.AppendAsync(events, cancellationToken), $"play of track {records[0].TrackId} in room {records[0].RoomCode}");
    }
}
