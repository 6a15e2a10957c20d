using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// Who can hear a queued track, said on the item instead of the room going quiet when it comes up: a track with no
/// audio in the library reaches only members who follow on Spotify, and only if it is on Spotify at all. Worked out
/// for each snapshot, so the note comes and goes as members start and stop following on Spotify.
/// </summary>
public static class QueueAudibility
{
    public const string SpotifyOnly = "nobody here can play this: Spotify only";
    public const string Nowhere = "nobody here can play this: no audio here and not on Spotify";

    public static string? NoteFor(QueueEntry entry, bool anyoneOnSpotify) => entry switch
    {
        { NoAudioHere: false } => null,
        { Track.SpotifyUri: null } => Nowhere,
        _ => anyoneOnSpotify ? null : SpotifyOnly,
    };

    public static QueueEntry[] Noted(IReadOnlyList<QueueEntry> queue, bool anyoneOnSpotify) =>
        queue.Select(e => NoteFor(e, anyoneOnSpotify) is var note && note == e.Note ? e : e with { Note = note }).ToArray();
}
