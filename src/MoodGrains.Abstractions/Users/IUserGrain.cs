using MoodGrains.Abstractions.Mood;
using MoodGrains.Mood;
using Orleans.Concurrency;

namespace MoodGrains.Abstractions.Users;

[GenerateSerializer, Immutable, Alias("moodgrains.UserProfile")]
public sealed record UserProfile(
    [property: Id(0)] string UserId,
    [property: Id(1)] string? DisplayName,
    [property: Id(2)] string? CurrentRoom);

/// <summary>One listener, keyed by their user id.</summary>
[Alias("moodgrains.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    [Alias("GetProfile")]
    Task<UserProfile> GetProfileAsync();

    [Alias("SetDisplayName")]
    Task<UserProfile> SetDisplayNameAsync(string displayName);

    /// <summary>Called by a room when this user joins (room code) or leaves (null).</summary>
    [Alias("SetCurrentRoom")]
    Task SetCurrentRoomAsync(string? roomCode);

    /// <summary>Folds a face (or hand-picked) reading into the smoothed mood and returns the new mood.</summary>
    [Alias("RecordReading")]
    Task<MoodSnapshot> RecordReadingAsync(MoodReading reading);

    /// <summary>
    /// Sets (or with null clears) the hand-picked mood, which holds until changed, cleared or replaced by a camera
    /// reading. One-way and silent: the room that asked applies the mood itself (and may not wait on this grain,
    /// which may be waiting on the room with a camera reading).
    /// </summary>
    [Alias("SetManualMood"), OneWay]
    Task SetManualMoodAsync(Emotion? emotion);

    /// <summary>Interleaves: a room activated by this user's reading asks for it while that reading waits on the room.</summary>
    [Alias("GetMood"), AlwaysInterleave]
    Task<MoodSnapshot> GetMoodAsync();

    /// <summary>Erases what this grain stores about the user (name, room, mood), for <c>DELETE /api/me</c>.</summary>
    [Alias("Forget")]
    Task ForgetAsync();
}
