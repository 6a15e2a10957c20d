using MoodGrains.Abstractions.Mood;

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
}
