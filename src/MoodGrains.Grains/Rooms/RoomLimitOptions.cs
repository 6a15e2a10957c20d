using System.ComponentModel.DataAnnotations;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// What one room may hold and how long it lives, so no guest can make a room cost more than a party needs and
/// rooms nobody uses end. Bound from <c>MoodGrains:RoomLimits</c>.
/// </summary>
public sealed class RoomLimitOptions
{
    public const string Section = "MoodGrains:RoomLimits";

    /// <summary>Tracks one guest may have waiting in the queue at a time (the host is held only by <see cref="MaxQueue"/>).</summary>
    [Range(1, 1000)]
    public int MaxQueuedPerMember { get; set; } = 10;

    /// <summary>
    /// Tracks people may have waiting in all. Every change pushes the whole queue to every member and rewrites the
    /// room's stored state, so this bounds both (MoodGrains' own short plan comes on top).
    /// </summary>
    [Range(1, 1000)]
    public int MaxQueue { get; set; } = 100;

    /// <summary>Results one catalogue search returns at most.</summary>
    [Range(1, 50)]
    public int SearchResults { get; set; } = 10;

    /// <summary>How long a room may stand with nobody present (everyone left or away) before it closes for good.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan CloseWhenEmptyFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a closed room's code stays refused ("this room has ended") before a new room may take it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan FreeCodeAfter { get; set; } = TimeSpan.FromDays(7);
}
