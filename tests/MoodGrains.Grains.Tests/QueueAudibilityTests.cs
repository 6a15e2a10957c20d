using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;

namespace MoodGrains.Grains.Tests;

public sealed class QueueAudibilityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    private static TrackInfo Library(long id) => new(id, $"Piece {id}", ["Amber Harbour Trio"], 60_000, null, null, HasAudio: true);

    private static TrackInfo OnSpotify(long id) => new(id, $"Song {id}", ["Band"], 180_000, null, $"spotify:track:{id}");

    private static TrackInfo Nowhere(long id) => new(id, $"Tune {id}", ["Band"], 180_000, null, null);

    private static RoomState Room() =>
        new() { Created = true, HostUserId = "u0", Members = [new RoomMember("u0", "Ann", T0), new RoomMember("u1", "Bob", T0)] };

    [Fact]
    public void A_track_nobody_here_can_hear_is_queued_with_a_note_that_follows_the_rooms_spotify_listeners()
    {
        var state = Room();
        RoomQueue.AddByMember(state, "u0", Library(1), T0);
        RoomQueue.AddByMember(state, "u1", OnSpotify(2), T0, silent: true);
        RoomQueue.AddByMember(state, "u1", Nowhere(3), T0, silent: true);

        // Nobody follows on Spotify: the Spotify-only track and the track on no source say so; the library piece does not.
        var queue = state.ToSnapshot("ABC234", GroupMood.Empty, 0).Queue;
        Assert.Equal([null, QueueAudibility.SpotifyOnly, QueueAudibility.Nowhere], queue.Select(e => e.Note));
        Assert.Equal("nobody here can play this: Spotify only", queue[1].Note);

        // Bob follows on Spotify: his device can play it, so the note goes; a track on no source keeps its note.
        state.SpotifyListeners.Add(new SpotifyListener("u1", null));
        Assert.Equal([null, null, QueueAudibility.Nowhere], state.ToSnapshot("ABC234", GroupMood.Empty, 0).Queue.Select(e => e.Note));

        // The note is the snapshot's, never stored with the entry: when Bob stops, it is back.
        Assert.All(state.Queue, e => Assert.Null(e.Note));
        state.SpotifyListeners.Clear();
        Assert.Equal(QueueAudibility.SpotifyOnly, state.ToSnapshot("ABC234", GroupMood.Empty, 0).Queue[1].Note);
    }

    [Fact]
    public void Without_a_library_nothing_is_noted()
    {
        // A server without a library plays every track on the page's timeline; "no audio here" is not worth saying.
        var state = Room();
        RoomQueue.AddByMember(state, "u0", OnSpotify(2), T0, silent: false);
        RoomQueue.AddByMember(state, "u0", Nowhere(3), T0, silent: false);
        Assert.All(state.ToSnapshot("ABC234", GroupMood.Empty, 0).Queue, e => Assert.Null(e.Note));
    }
}
