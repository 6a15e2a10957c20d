using MoodGrains.Abstractions.Mood;
using MoodGrains.Mood;

namespace MoodGrains.Abstractions.Rooms;

public enum PlaybackState
{
    Stopped = 0,
    Playing = 1,
    Paused = 2,
}

/// <summary>Where a room steers its music relative to the group's mood.</summary>
public enum MoodPolicy
{
    /// <summary>Stay with the mood the room is in.</summary>
    Match = 0,

    /// <summary>Lift it toward positive valence.</summary>
    Boost = 1,

    /// <summary>Bring it down toward low arousal.</summary>
    Calm = 2,
}

/// <summary>A playable track as rooms and pages see it.</summary>
[GenerateSerializer, Immutable, Alias("moodgrains.TrackInfo")]
public sealed record TrackInfo(
    [property: Id(0)] long TrackId,
    [property: Id(1)] string Title,
    [property: Id(2)] IReadOnlyList<string> Artists,
    [property: Id(3)] int DurationMs,
    [property: Id(4)] string? Album,
    [property: Id(5)] string? SpotifyUri,
    [property: Id(6)] bool HasAudio = false);

/// <summary>
/// One entry of a room's queue, with why it is there and who put it there. An entry a member added or the host
/// <see cref="Pinned"/> is chosen: the system never moves or replaces it. The others are MoodGrains' plan, re-planned
/// while the room's mood moves; <see cref="Change"/> says why a re-plan put this one here ("the room turned calmer").
/// </summary>
/// <param name="Target">The mood point the pick aimed at; when it starts playing the room's iso walk steps on from here.</param>
[GenerateSerializer, Immutable, Alias("moodgrains.QueueEntry")]
public sealed record QueueEntry(
    [property: Id(0)] string EntryId,
    [property: Id(1)] TrackInfo Track,
    [property: Id(2)] string Reason,
    [property: Id(3)] string? AddedByUserId,
    [property: Id(4)] string AddedBy,
    [property: Id(5)] DateTimeOffset AddedAt,
    [property: Id(6)] bool Pinned = false,
    [property: Id(7)] string? Change = null,
    [property: Id(8)] MoodPoint? Target = null)
{
    /// <summary>MoodGrains' own pick, which a re-plan may replace.</summary>
    public bool IsPlanned => AddedByUserId is null && !Pinned;

    /// <summary>The server has a library and no audio for this track: only members following on Spotify can hear it.</summary>
    [Id(9)]
    public bool NoAudioHere { get; init; }

    /// <summary>
    /// Set in the room's snapshot when nobody in the room can hear the track now ("nobody here can play this: Spotify
    /// only"); pages show it on the item. Always null in the room's state: it follows who listens on Spotify.
    /// </summary>
    [Id(10)]
    public string? Note { get; init; }
}

/// <summary>
/// The room's playhead as a server-clock anchor: at server time <see cref="AnchorServerMs"/> (Unix ms) the track was at
/// <see cref="AnchorPositionMs"/>; while playing it advances in real time. Every client computes the same position
/// from its estimate of the server clock, which is what keeps pages in sync.
/// </summary>
[GenerateSerializer, Immutable, Alias("moodgrains.NowPlaying")]
public sealed record NowPlaying(
    [property: Id(0)] QueueEntry Entry,
    [property: Id(1)] PlaybackState State,
    [property: Id(2)] long AnchorServerMs,
    [property: Id(3)] int AnchorPositionMs,
    [property: Id(4)] IReadOnlyList<string> SkipVoters,
    [property: Id(5)] int SkipVotesNeeded,
    [property: Id(6)] IReadOnlyList<string> Likes,
    [property: Id(7)] IReadOnlyList<string> Dislikes)
{
    public int PositionAt(long serverMs)
    {
        var position = State == PlaybackState.Playing ? AnchorPositionMs + (serverMs - AnchorServerMs) : AnchorPositionMs;
        return (int)Math.Clamp(position, 0, Entry.Track.DurationMs);
    }

    /// <summary>Server time (Unix ms) at which the track ends if nobody touches it; null unless playing.</summary>
    public long? EndsAtServerMs => State == PlaybackState.Playing ? AnchorServerMs + (Entry.Track.DurationMs - AnchorPositionMs) : null;
}

[GenerateSerializer, Immutable, Alias("moodgrains.MemberMood")]
public sealed record MemberMood(
    [property: Id(0)] string UserId,
    [property: Id(1)] MoodSnapshot Mood,
    [property: Id(2)] float Weight);

/// <summary>The room's mood: a weighted blend of members' moods, how far they disagree, and who counted how much.</summary>
[GenerateSerializer, Immutable, Alias("moodgrains.GroupMood")]
public sealed record GroupMood(
    [property: Id(0)] EmotionScores Scores,
    [property: Id(1)] MoodPoint Point,
    [property: Id(2)] float Confidence,
    [property: Id(3)] float Disagreement,
    [property: Id(4)] IReadOnlyList<MemberMood> Members,
    [property: Id(5)] DateTimeOffset At)
{
    public static GroupMood Empty { get; } = new(EmotionScores.Uniform, new MoodPoint(0, 0), 0, 0, [], DateTimeOffset.MinValue);

    public Emotion Dominant => Scores.Dominant;
}

/// <summary>One point of the room's mood timeline.</summary>
[GenerateSerializer, Immutable, Alias("moodgrains.MoodSample")]
public sealed record MoodSample(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] MoodPoint Point,
    [property: Id(2)] float Confidence,
    [property: Id(3)] Emotion Dominant)
{
    /// <summary>Where each member with a reading was at that moment, so a page opened later draws their lines too.</summary>
    [Id(20)]
    public IReadOnlyList<MemberPoint> Members { get; init; } = [];
}

/// <summary>One member's place in mood space at a timeline sample.</summary>
[GenerateSerializer, Immutable, Alias("moodgrains.MemberPoint")]
public sealed record MemberPoint(
    [property: Id(0)] string UserId,
    [property: Id(1)] MoodPoint Point);

/// <summary>The frequent, small push: the room's mood changed.</summary>
[GenerateSerializer, Immutable, Alias("moodgrains.RoomMoodUpdate")]
public sealed record RoomMoodUpdate(
    [property: Id(0)] string Code,
    [property: Id(1)] GroupMood Mood,
    [property: Id(2)] MoodSample Sample,
    [property: Id(3)] long ServerMs);

/// <summary>
/// A member who plays the room on their own Spotify account: the room's tracks are started on their device at the
/// room's position (<c>play(uri, position_ms)</c>). <see cref="DeviceId"/> null means their currently active device.
/// <see cref="Request"/> counts the member's asks to follow: each ask (even for the same device, say once they opened
/// their Spotify app after a "no active device" refusal) starts the room's track on the device again.
/// </summary>
[GenerateSerializer, Immutable, Alias("moodgrains.SpotifyListener")]
public sealed record SpotifyListener(
    [property: Id(0)] string UserId,
    [property: Id(1)] string? DeviceId,
    [property: Id(2)] int Request = 1);
