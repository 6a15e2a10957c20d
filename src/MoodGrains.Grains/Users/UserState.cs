using MoodGrains.Abstractions.Mood;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Users;

[GenerateSerializer, Alias("moodgrains.UserState")]
public sealed class UserState
{
    [Id(0)]
    public string? DisplayName { get; set; }

    [Id(1)]
    public string? CurrentRoom { get; set; }

    [Id(2)]
    public SmoothedMood Mood { get; set; } = SmoothedMood.Empty;

    /// <summary>The hand-picked mood, which holds until changed, cleared or replaced by a camera reading.</summary>
    [Id(3)]
    public Emotion? Manual { get; set; }

    [Id(4)]
    public DateTimeOffset ManualAt { get; set; }
}
