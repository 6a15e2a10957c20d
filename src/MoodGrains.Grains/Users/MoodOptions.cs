using System.ComponentModel.DataAnnotations;

namespace MoodGrains.Grains.Users;

/// <summary>How a listener's mood follows their face. Bound from <c>MoodGrains:Mood</c>.</summary>
public sealed class MoodOptions
{
    public const string Section = "MoodGrains:Mood";

    /// <summary>How long until a reading counts half as much. About 8 s: a smile has to last a few frames to move the room.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How often the smoothed mood is written to storage at most (readings themselves are never stored).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How much a hand-picked mood counts in a room's blend. Fixed (it does not fade): below a steady camera stream
    /// (which approaches 1), above a camera that has just started.
    /// </summary>
    [Range(0.05, 1.0)]
    public float ManualConfidence { get; set; } = 0.8f;
}
