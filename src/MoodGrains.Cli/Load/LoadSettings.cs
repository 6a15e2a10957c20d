namespace MoodGrains.Cli.Load;

/// <summary>What one load run does: how many simulated members, in how many rooms, sending how fast, for how long.</summary>
internal sealed record LoadSettings(Uri Server, int Users, int Rooms, double Fps, int Seconds, IReadOnlyList<(string Name, byte[] Jpeg)> Frames)
{
    /// <summary>At most this many members sign in and connect at once, so start-up is not itself a burst test.</summary>
    public int SetupParallelism { get; init; } = 8;

    /// <summary>How long after the last frame the run waits for outstanding outcomes and pushes.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan Period => TimeSpan.FromSeconds(1 / Fps);

    /// <summary>Members are dealt round-robin, so room r holds users r, r + rooms, r + 2 * rooms, ...; user r creates it.</summary>
    public int RoomOf(int user) => user % Rooms;
}
