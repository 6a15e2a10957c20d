namespace MoodGrains.Cli.Load;

// Just the fields the load command reads of the hub's camelCase JSON; everything else is ignored on purpose so the
// generator spends as little CPU as possible on the machine it shares with the server.

/// <summary>POST /api/session.</summary>
internal sealed record SessionDto(string UserId, string Token);

/// <summary>The answer to CreateRoom / JoinRoom.</summary>
internal sealed record RoomSnapshotDto(string Code);

/// <summary>The answer to SendFrame.</summary>
internal sealed record FrameOutcomeDto(string Status, int Faces, string? Detail, MoodDto? Mood, double DecodeMs, double DetectMs, double ClassifyMs);

internal sealed record MoodDto(DateTimeOffset UpdatedAt);

/// <summary>The MoodUpdated push.</summary>
internal sealed record RoomMoodUpdateDto(string Code, GroupMoodDto Mood, long ServerMs);

internal sealed record GroupMoodDto(IReadOnlyList<MemberMoodDto> Members);

internal sealed record MemberMoodDto(string UserId, MoodDto Mood, float Weight);
