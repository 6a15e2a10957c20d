namespace MoodGrains.Abstractions.Rooms;

[GenerateSerializer, Immutable, Alias("moodgrains.RoomMember")]
public sealed record RoomMember(
    [property: Id(0)] string UserId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] DateTimeOffset JoinedAt);

/// <summary>What every member's page shows of a room; pushed on each change.</summary>
[GenerateSerializer, Immutable, Alias("moodgrains.RoomSnapshot")]
public sealed record RoomSnapshot(
    [property: Id(0)] string Code,
    [property: Id(1)] string HostUserId,
    [property: Id(2)] IReadOnlyList<RoomMember> Members,
    [property: Id(3)] bool IsSolo,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] long Version);
