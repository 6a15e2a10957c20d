using System.ComponentModel.DataAnnotations;

namespace MoodGrains.Grains.Rooms;

/// <summary>How a room plans its music just in time and who counts as present. Bound from <c>MoodGrains:Rooms</c>.</summary>
public sealed class RoomPlanOptions
{
    public const string Section = "MoodGrains:Rooms";

    /// <summary>How many recommendations the room keeps planned behind what people chose. Short: the plan is re-made as the mood moves.</summary>
    [Range(1, 10)]
    public int PlanDepth { get; set; } = 3;

    /// <summary>How long before the current track ends the next one is locked in; until then a mood change still chooses it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan CommitLead { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How far (circumplex distance) the room's mood must move from where the plan was made before it is re-made. The
    /// band widens as the group's confidence drops, so noise from one unsure face never re-plans.
    /// </summary>
    [Range(0.05, 2.0)]
    public float ReplanDistance { get; set; } = 0.3f;

    /// <summary>Below this group confidence the readings are too weak to re-plan on at all.</summary>
    [Range(0.0, 1.0)]
    public float MinConfidence { get; set; } = 0.2f;

    /// <summary>How long a new room reads faces before choosing its first track (a hand-picked mood starts it at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan FirstTrackWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a member may have no page open before they count as away.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PresenceGrace { get; set; } = TimeSpan.FromSeconds(60);
}
