using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Grains.Rooms;

[GenerateSerializer, Alias("moodgrains.RoomState")]
public sealed class RoomState
{
    [Id(0)]
    public bool Created { get; set; }

    [Id(1)]
    public string HostUserId { get; set; } = string.Empty;

    [Id(2)]
    public List<RoomMember> Members { get; set; } = [];

    [Id(3)]
    public bool IsSolo { get; set; }

    [Id(4)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(5)]
    public long Version { get; set; }
}
