using System.ComponentModel.DataAnnotations;

namespace MoodGrains.Server.Privacy;

/// <summary>How long what MoodGrains stores about listeners is kept in full. Bound from <c>MoodGrains:Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "MoodGrains:Retention";

    /// <summary>
    /// How long a play in <c>listening_events</c> keeps the listener's seven emotion probabilities; after that only the
    /// mood point (valence, arousal, confidence) stays, which is all the recommender trains on. The page says 30 days:
    /// change its hint with this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan EmotionProbabilities { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention job runs (also once at start-up).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
