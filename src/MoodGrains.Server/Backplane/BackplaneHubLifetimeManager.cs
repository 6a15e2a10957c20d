using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MoodGrains.Server.Backplane;

/// <summary>
/// SignalR's connection and group bookkeeping for one silo, with sends carried to the other silos over Redis.
/// <para>
/// The stock Redis backplane delivers even to this silo's own connections through Redis, so with Redis away no push
/// reached anyone, and each send held its caller (a grain turn) for the client's timeout. Here a send is delivered
/// to this silo's connections directly and published to the others without waiting; while Redis is unreachable the
/// other silos miss it, and their pages catch up with the next snapshot.
/// </para>
/// <para>
/// Arguments travel as the JSON the hub's JSON protocol writes (the only protocol the server offers), so the
/// receiving silo forwards them to its connections unchanged. Group membership is local: the server only ever adds
/// or removes connections it holds itself, so membership changes are not forwarded.
/// </para>
/// </summary>
public sealed class BackplaneHubLifetimeManager<THub> : HubLifetimeManager<THub>
    where THub : Hub
{
    private static readonly JsonSerializerOptions EnvelopeJson = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan LocalDeliveryWait = TimeSpan.FromSeconds(1);
    private readonly DefaultHubLifetimeManager<THub> _local;
    private readonly RedisLink _redis;
    private readonly JsonSerializerOptions _payloadJson;
    private readonly RedisChannel _channel;
    private readonly string _origin = Guid.NewGuid().ToString("N");

    public BackplaneHubLifetimeManager(ILogger<DefaultHubLifetimeManager<THub>> localLogger, RedisLink redis, IOptions<JsonHubProtocolOptions> json)
    {
        _local = new DefaultHubLifetimeManager<THub>(localLogger);
        _redis = redis;
        _payloadJson = json.Value.PayloadSerializerOptions;
        _channel = redis.Channel("hub:" + typeof(THub).Name);
        if (redis.IsConfigured)
        {
            redis.Subscribe(_channel, ReceiveAsync);
        }
    }

    public override Task OnConnectedAsync(HubConnectionContext connection) => _local.OnConnectedAsync(connection);

    public override Task OnDisconnectedAsync(HubConnectionContext connection) => _local.OnDisconnectedAsync(connection);

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _local.AddToGroupAsync(connectionId, groupName, cancellationToken);

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        Publish(Target.All, [], [], methodName, args);
        return _local.SendAllAsync(methodName, args, cancellationToken);
    }

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        Publish(Target.All, [], excludedConnectionIds, methodName, args);
        return _local.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendConnectionsAsync([connectionId], methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        Publish(Target.Connections, connectionIds, [], methodName, args);
        return _local.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendGroupsAsync([groupName], methodName, args, cancellationToken);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        Publish(Target.Groups, groupNames, [], methodName, args);
        return _local.SendGroupsAsync(groupNames, methodName, args, cancellationToken);
    }

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        Publish(Target.Groups, [groupName], excludedConnectionIds, methodName, args);
        return _local.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendUsersAsync([userId], methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        Publish(Target.Users, userIds, [], methodName, args);
        return _local.SendUsersAsync(userIds, methodName, args, cancellationToken);
    }

    // Client results only reach connections on this silo; the server does not ask clients for results.
    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _local.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) => _local.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _local.TryGetReturnType(invocationId, out type);

    private void Publish(Target target, IReadOnlyList<string> names, IReadOnlyList<string> excluded, string methodName, object?[] args)
    {
        if (!_redis.IsConnected)
        {
            return;
        }

        var envelope = new Envelope(_origin, target, [.. names], [.. excluded], methodName, JsonSerializer.SerializeToElement(args, _payloadJson));
        _redis.Publish(_channel, JsonSerializer.SerializeToUtf8Bytes(envelope, EnvelopeJson));
    }

    private Task ReceiveAsync(RedisValue message)
    {
        var envelope = JsonSerializer.Deserialize<Envelope>((byte[])message!, EnvelopeJson);
        if (envelope is null || envelope.Origin == _origin)
        {
            return Task.CompletedTask;
        }

        // Each argument stays a JsonElement, which the JSON protocol writes out verbatim.
        object?[] args = [.. envelope.Args.EnumerateArray().Select(a => (object?)a)];
        var send = envelope.Target switch
        {
            Target.All when envelope.Excluded.Length > 0 => _local.SendAllExceptAsync(envelope.Method, args, envelope.Excluded),
            Target.All => _local.SendAllAsync(envelope.Method, args),
            Target.Connections => _local.SendConnectionsAsync(envelope.Names, envelope.Method, args),
            Target.Groups when envelope.Excluded.Length > 0 => _local.SendGroupExceptAsync(envelope.Names[0], envelope.Method, args, envelope.Excluded),
            Target.Groups => _local.SendGroupsAsync(envelope.Names, envelope.Method, args),
            Target.Users => _local.SendUsersAsync(envelope.Names, envelope.Method, args),
            _ => Task.CompletedTask,
        };
        // Messages from other silos are handled one at a time: a client that stops reading must not hold up the
        // next push for everyone else on this silo. Its send goes on; the wait for it ends (and is logged) here.
        return send.WaitAsync(LocalDeliveryWait);
    }

    private enum Target
    {
        All,
        Connections,
        Groups,
        Users,
    }

    private sealed record Envelope(string Origin, Target Target, string[] Names, string[] Excluded, string Method, JsonElement Args);
}
