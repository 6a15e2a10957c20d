using Microsoft.AspNetCore.SignalR.Client;

namespace MoodGrains.Cli.Load;

/// <summary>One simulated listener: a guest identity, its hub connection, its room and the face it shows.</summary>
internal sealed class SimulatedMember(int index, int room, string userId, HubConnection connection, byte[] frame) : IAsyncDisposable
{
    public int Index { get; } = index;

    public int Room { get; } = room;

    public string UserId { get; } = userId;

    public HubConnection Connection { get; } = connection;

    public byte[] Frame { get; } = frame;

    public string DisplayName => $"load-{Index}";

    /// <summary>The frame awaiting its outcome; SignalR runs one invocation per connection at a time.</summary>
    public Task? InFlight { get; set; }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
