using System.Text;
using System.Text.Json;

namespace MoodGrains.Cli.Chaos;

/// <summary>
/// The checks run on the database after the probes: what is stored must be what the probes did, no row lost and
/// none twice. Reads the tables directly, as an operator would, not through the server.
/// </summary>
internal static class ChaosTables
{
    public const string ListeningEventsName = "tables: listening_events";
    public const string RoomStateName = "tables: room state";

    public const string ListeningEventsExpected = "no play logged twice; each room's skipped plays = the skips that happened";
    public const string RoomStateExpected = "every accepted add stored once (queued, playing or logged as played); no failed add stored twice";

    /// <summary>Distinct skipped plays of a room (one play writes a row per listening member).</summary>
    public static async Task<int> SkippedPlaysAsync(ChaosCluster cluster, string code, CancellationToken cancellationToken) =>
        (await cluster.QueryAsync(
            "SELECT count(DISTINCT (track_id, started_at)) FROM listening_events WHERE room_code = $1 AND outcome = 'skipped'",
            r => (int)r.GetInt64(0), cancellationToken, code))[0];

    public static async Task<ProbeOutcome> CheckListeningEventsAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        var total = (await cluster.QueryAsync("SELECT count(*) FROM listening_events", r => r.GetInt64(0), cancellationToken))[0];
        var duplicated = (await cluster.QueryAsync(
            "SELECT count(*) FROM (SELECT 1 FROM listening_events GROUP BY user_id, track_id, room_code, started_at, outcome HAVING count(*) > 1) d",
            r => r.GetInt64(0), cancellationToken))[0];
        var mismatches = new List<string>();
        foreach (var (room, skips) in cluster.Ledger.Skips.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var logged = await SkippedPlaysAsync(cluster, room, cancellationToken);
            if (logged != skips)
            {
                mismatches.Add($"room {room}: {skips} skip(s), {logged} logged");
            }
        }

        return new ProbeOutcome(
            $"{total} rows; {duplicated} plays logged more than once; skips checked in {cluster.Ledger.Skips.Count} rooms" +
            (mismatches.Count > 0 ? ": " + string.Join(", ", mismatches) : ", all match"),
            duplicated == 0 && mismatches.Count == 0);
    }

    public static async Task<ProbeOutcome> CheckRoomStateAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        var lost = 0;
        var doubled = 0;
        var examples = new List<string>();
        var rooms = cluster.Ledger.Adds.GroupBy(a => a.Room, StringComparer.Ordinal).ToList();
        foreach (var room in rooms)
        {
            var (stored, storedSummary) = await StoredEntriesAsync(cluster, room.Key, cancellationToken);
            var plays = (await cluster.QueryAsync(
                "SELECT track_id, count(DISTINCT started_at) FROM listening_events WHERE room_code = $1 GROUP BY track_id",
                r => (Track: r.GetInt64(0), Plays: (int)r.GetInt64(1)), cancellationToken, room.Key)).ToDictionary(p => p.Track, p => p.Plays);
            foreach (var add in room.GroupBy(a => (a.TrackId, a.UserId)))
            {
                var accepted = add.Count(a => a.Accepted);
                var failed = add.Count(a => !a.Accepted);
                var found = (stored?.Count(e => e.TrackId == add.Key.TrackId && e.AddedByUserId == add.Key.UserId) ?? 0) + plays.GetValueOrDefault(add.Key.TrackId);
                if (found < accepted)
                {
                    lost++;
                    Note(examples, $"room {room.Key} track {add.Key.TrackId}: added {accepted}x, stored {found}x; the room's row: {storedSummary}, {plays.Values.Sum()} plays logged");
                }
                else if (found > accepted + Math.Min(failed, 1))
                {
                    doubled++;
                    Note(examples, $"room {room.Key} track {add.Key.TrackId}: added {accepted}x (+{failed} failed), stored {found}x");
                }
            }
        }

        var adds = cluster.Ledger.Adds.Count;
        return new ProbeOutcome(
            $"{adds} adds in {rooms.Count} rooms checked: {lost} lost, {doubled} stored too often" + (examples.Count > 0 ? $" ({string.Join("; ", examples)})" : string.Empty),
            lost == 0 && doubled == 0);
    }

    /// <summary>
    /// The room grain's stored state (queue and playing entry), read from Orleans' grain storage table: the JSON
    /// payload of the state named "room" whose key is the code (null when the room has no stored state), and a short
    /// description of the row for a report that must explain a loss.
    /// </summary>
    private static async Task<(List<EntryView>? Entries, string Summary)> StoredEntriesAsync(ChaosCluster cluster, string code, CancellationToken cancellationToken)
    {
        var (n1, extension) = StorageKey(code);
        var rows = await cluster.QueryAsync(
            "SELECT payload, version, modified_on FROM orleans_storage WHERE grain_type = 'room' AND grain_id_n0 = 0 AND grain_id_n1 = $1 " +
            "AND grain_id_extension IS NOT DISTINCT FROM $2",
            r => (Payload: r.IsDBNull(0) ? null : (byte[])r.GetValue(0), Version: r.GetInt32(1), Modified: r.GetDateTime(2)),
            cancellationToken, n1, (object?)extension ?? DBNull.Value);
        if (rows.Count == 0 || rows[0].Payload is not { } payload)
        {
            return (null, rows.Count == 0 ? "no row" : $"v{rows[0].Version} cleared at {rows[0].Modified:HH:mm:ss.fff}");
        }

        using var state = JsonDocument.Parse(Encoding.UTF8.GetString(payload));
        var root = state.RootElement;
        var entries = RoomView.Items(RoomView.Prop(root, "queue")).Select(RoomView.Entry).ToList();
        var queued = entries.Count;
        if (RoomView.Prop(root, "nowPlaying") is { } playing && RoomView.Prop(playing, "entry") is { } entry)
        {
            entries.Add(RoomView.Entry(entry));
        }

        var members = RoomView.Items(RoomView.Prop(root, "members")).Count();
        var away = RoomView.Items(RoomView.Prop(root, "away")).Count();
        var closed = RoomView.Prop(root, "closedAt") is not null ? ", closed" : string.Empty;
        return (entries, $"v{rows[0].Version} written {rows[0].Modified:HH:mm:ss.fff}, {queued} queued, {entries.Count - queued} playing, {members} members ({away} away){closed}");
    }

    /// <summary>
    /// Where Orleans' ADO.NET storage files a room's state: a key that reads as a hexadecimal number (a code such as
    /// "CB25A6") is taken as an integer key, its value in <c>grain_id_n1</c> and no extension; any other code is the
    /// extension, with both numbers zero. Decided by Orleans' own parsing of the grain id, as the provider does.
    /// </summary>
    public static (long N1, string? Extension) StorageKey(string code) =>
        GrainId.Create("room", code).TryGetIntegerKey(out var key, out var extension) ? (key, extension) : (0, code);

    private static void Note(List<string> examples, string example)
    {
        if (examples.Count < 3)
        {
            examples.Add(example);
        }
    }
}
