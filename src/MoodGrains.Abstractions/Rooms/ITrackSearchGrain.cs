namespace MoodGrains.Abstractions.Rooms;

/// <summary>
/// Catalogue search for a room's members, run outside the room so a flood of searches never holds up the room's own
/// calls (joins, skips, moods). Stateless: any silo, a few activations each.
/// </summary>
[Alias("moodgrains.ITrackSearchGrain")]
public interface ITrackSearchGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Tracks matching <paramref name="query"/> (1 to 200 characters) for a member of <paramref name="roomCode"/>;
    /// refused as the room would refuse a non-member.
    /// </summary>
    [Alias("Search")]
    Task<IReadOnlyList<TrackInfo>> SearchAsync(string roomCode, string userId, string query);
}
