using MoodGrains.Server.Backplane;
using StackExchange.Redis;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// Takes a person's connections out of a room's push group when they leave or are removed, on every silo, so a
/// removed member stops receiving the room's names and moods even if their page keeps the connection open.
/// <para>
/// SignalR tracks group membership per connection on the silo holding it, and only that silo knows which
/// connections belong to whom. So each silo keeps its own user-to-connections map, and a revocation is carried to
/// every silo over Redis (the backplane's link, on its own channel); without Redis, or while it is unreachable, the
/// local map is all there is.
/// </para>
/// </summary>
public sealed partial class RoomSubscriptions(
    RoomBroadcaster broadcaster,
    RedisLink redis,
    ILogger<RoomSubscriptions> logger) : IHostedService
{
    // One lock for the map and its sets: a reload connects and disconnects the same person at once, and a connection
    // added to a set that a disconnect was just dropping as empty would be invisible to revocations and counts.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _connectionsByUser = new(StringComparer.Ordinal);
    private readonly RedisChannel _channel = redis.Channel("revoke");

    public void Connected(string userId, string connectionId)
    {
        lock (_gate)
        {
            if (!_connectionsByUser.TryGetValue(userId, out var connections))
            {
                _connectionsByUser[userId] = connections = new HashSet<string>(StringComparer.Ordinal);
            }

            connections.Add(connectionId);
        }
    }

    /// <summary>How many connections <paramref name="userId"/> has open on this silo.</summary>
    public int ConnectionCount(string userId)
    {
        lock (_gate)
        {
            return _connectionsByUser.TryGetValue(userId, out var connections) ? connections.Count : 0;
        }
    }

    public void Disconnected(string userId, string connectionId)
    {
        lock (_gate)
        {
            if (_connectionsByUser.TryGetValue(userId, out var connections) && connections.Remove(connectionId) && connections.Count == 0)
            {
                _connectionsByUser.Remove(userId);
            }
        }
    }

    /// <summary>
    /// Unsubscribes every connection of <paramref name="userId"/> from the room, on this silo and, without waiting for
    /// Redis, the others.
    /// </summary>
    public async Task RevokeAsync(string roomCode, string userId)
    {
        await RevokeLocallyAsync(roomCode, userId);
        if (redis.IsConfigured && !redis.Publish(_channel, roomCode + "\n" + userId))
        {
            // The member is out of the room either way; only pushes to a connection on another silo may continue.
            LogPublishFailed(roomCode);
        }
    }

    /// <summary>Listens for other silos' revocations once Redis answers; the silo starts whether or not it does.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis.IsConfigured)
        {
            redis.Subscribe(_channel, message =>
            {
                var parts = message.ToString().Split('\n');
                return parts.Length == 2 ? RevokeLocallyAsync(parts[0], parts[1]) : Task.CompletedTask;
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RevokeLocallyAsync(string roomCode, string userId)
    {
        string[] connections;
        lock (_gate)
        {
            if (!_connectionsByUser.TryGetValue(userId, out var open))
            {
                return;
            }

            connections = [.. open];
        }

        foreach (var connectionId in connections)
        {
            try
            {
                await broadcaster.UnsubscribeAsync(connectionId, roomCode);
            }
            catch (Exception e)
            {
                LogRevokeFailed(e, roomCode);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell other silos that a member left room {RoomCode}: Redis is unreachable")]
    private partial void LogPublishFailed(string roomCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe a connection from room {RoomCode}")]
    private partial void LogRevokeFailed(Exception exception, string roomCode);
}
