using System.Text.Json;

namespace MoodGrains.Cli.Chaos;

/// <summary>One queue entry as the suite reads it.</summary>
internal sealed record EntryView(string EntryId, long TrackId, string? AddedByUserId);

/// <summary>
/// The parts of a room snapshot (hub answer, HTTP body or push) the probes look at, read leniently from its JSON so
/// the suite keeps working while the snapshot grows fields.
/// </summary>
internal sealed class RoomView(JsonElement json)
{
    public string Code => Prop(json, "code")?.GetString() ?? string.Empty;

    public long Version => Prop(json, "version")?.GetInt64() ?? 0;

    /// <summary>Characters of JSON: what every member receives for each push of this snapshot.</summary>
    public int JsonLength => json.GetRawText().Length;

    public IReadOnlyList<string> MemberIds => Items(Prop(json, "members")).Select(m => Prop(m, "userId")?.GetString() ?? string.Empty).ToList();

    public IReadOnlyList<string> DisplayNames => Items(Prop(json, "members")).Select(m => Prop(m, "displayName")?.GetString() ?? string.Empty).ToList();

    public IReadOnlyList<EntryView> Queue => Items(Prop(json, "queue")).Select(Entry).ToList();

    public EntryView? NowPlaying => Prop(json, "nowPlaying") is { ValueKind: JsonValueKind.Object } playing && Prop(playing, "entry") is { } entry ? Entry(entry) : null;

    /// <summary>Entries of <paramref name="trackId"/> that a member added, queued or playing.</summary>
    public int ChosenCopies(long trackId) =>
        Queue.Append(NowPlaying).Count(e => e is not null && e.TrackId == trackId && e.AddedByUserId is not null);

    public static EntryView Entry(JsonElement entry) => new(
        Prop(entry, "entryId")?.GetString() ?? string.Empty,
        Prop(entry, "track") is { } track ? Prop(track, "trackId")?.GetInt64() ?? 0 : 0,
        Prop(entry, "addedByUserId") is { ValueKind: JsonValueKind.String } by ? by.GetString() : null);

    /// <summary>A property by name, ignoring case (the hub writes camelCase, stored grain state PascalCase).</summary>
    public static JsonElement? Prop(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
            }
        }

        return null;
    }

    public static IEnumerable<JsonElement> Items(JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];
}
