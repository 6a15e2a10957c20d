using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _connectionsByUser = new(StringComparer.Ordinal);
    private readonly RedisChannel _channel = redis.Channel("revoke");

    public void Connected(string userId, string connectionId) =>
        _connectionsByUser.GetOrAdd(userId, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))[connectionId] = 0;

    /// <summary>How many connections <paramref name="userId"/> has open on this silo.</summary>
    public int ConnectionCount(string userId) => _connectionsByUser.TryGetValue(userId, out var connections) ? connections.Count : 0;

    public void Disconnected(string userId, string connectionId)
    {
        if (_connectionsByUser.TryGetValue(userId, out var connections) && connections.TryRemove(connectionId, out _) && connections.IsEmpty)
        {
            // Removes the entry only if it is still this (empty) map; a connection added meanwhile keeps it.
            _connectionsByUser.TryRemove(KeyValuePair.Create(userId, connections));
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
        if (!_connectionsByUser.TryGetValue(userId, out var connections))
        {
            return;
        }

        foreach (var connectionId in connections.Keys)
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
