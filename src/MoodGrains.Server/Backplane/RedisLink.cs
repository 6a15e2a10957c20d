using System.Net;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Options;
using StackExchange.Redis;

namespace MoodGrains.Server.Backplane;

/// <summary>
/// The silo's one connection to Redis, which carries pushes and revocations between silos. Redis is optional: the
/// silo starts without it, connects in the background, and keeps serving its own connections while Redis is away.
/// Nothing waits on Redis: a publish while it is unreachable is dropped (a stale push delivered later would be worse
/// than none; pages resync from the next snapshot), and subscriptions are made once it first answers, after which the
/// client restores them on every reconnect.
/// </summary>
public sealed partial class RedisLink(IOptions<RedisOptions> options, IOptions<ClusterSiloOptions> silo, ILogger<RedisLink> logger) : BackgroundService
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(500);
    private readonly Lock _gate = new();
    private readonly List<(RedisChannel Channel, Func<RedisValue, Task> Handler)> _pending = [];
    private volatile ConnectionMultiplexer? _multiplexer;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.ConnectionString);

    public bool IsConnected => _multiplexer is { IsConnected: true };

    /// <summary>A channel of this cluster, so two clusters sharing a Redis never hear each other.</summary>
    public RedisChannel Channel(string name) => RedisChannel.Literal($"moodgrains:{silo.Value.ClusterId}:{name}");

    /// <summary>Hears <paramref name="channel"/> from the moment Redis answers; messages arrive one at a time, in order.</summary>
    public void Subscribe(RedisChannel channel, Func<RedisValue, Task> handler)
    {
        lock (_gate)
        {
            _pending.Add((channel, handler));
        }
    }

    /// <summary>Sends without waiting: false (and nothing sent) while Redis is unreachable or not configured.</summary>
    public bool Publish(RedisChannel channel, RedisValue message)
    {
        if (_multiplexer is not { IsConnected: true } multiplexer)
        {
            return false;
        }

        _ = PublishAsync(multiplexer, channel, message);
        return true;
    }

    public override void Dispose()
    {
        base.Dispose();
        _multiplexer?.Close(allowCommandsToComplete: false);
        _multiplexer?.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!IsConfigured)
        {
            return;
        }

        // Start-up goes on at once; the first connection attempt happens off the host's start path.
        await Task.Yield();
        var configuration = Configure(options.Value.ConnectionString!);
        var endpoints = Describe(configuration);
        try
        {
            _multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
        }
        catch (RedisException e)
        {
            LogUnusable(e, endpoints);
            return;
        }

        var state = new SteadyLinkState();
        while (!stoppingToken.IsCancellationRequested)
        {
            var connected = _multiplexer.IsConnected;
            switch (state.Observe(connected))
            {
                case true:
                    LogConnected(endpoints);
                    break;
                case false:
                    LogUnreachable(endpoints);
                    break;
            }

            if (connected)
            {
                try
                {
                    await SubscribePendingAsync(_multiplexer);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Nothing here may end the watch: a silo whose watch stopped would never subscribe again.
                    LogWatchFailed(e);
                }
            }

            try
            {
                await Task.Delay(WatchInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Short timeouts and no backlog: a command while Redis is away fails at once instead of holding its caller for
    /// the client's default 5 s, and reconnect attempts come every second or two so a returning Redis is used soon.
    /// </summary>
    internal static ConfigurationOptions Configure(string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2_000;
        configuration.SyncTimeout = 2_000;
        configuration.AsyncTimeout = 2_000;
        configuration.ConnectRetry = 1;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 2_000);
        return configuration;
    }

    /// <summary>Host and port only: a connection string may carry a password, which never goes into a log.</summary>
    private static string Describe(ConfigurationOptions configuration) => string.Join(",", configuration.EndPoints.Select(e => e switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        IPEndPoint ip => ip.ToString(),
        _ => e.AddressFamily.ToString(),
    }));

    private async Task SubscribePendingAsync(ConnectionMultiplexer multiplexer)
    {
        (RedisChannel Channel, Func<RedisValue, Task> Handler)[] pending;
        lock (_gate)
        {
            pending = [.. _pending];
        }

        foreach (var subscription in pending)
        {
            var subscriber = multiplexer.GetSubscriber();
            try
            {
                var queue = await subscriber.SubscribeAsync(subscription.Channel);
                queue.OnMessage(message => HandleAsync(subscription.Handler, message.Message));
                lock (_gate)
                {
                    _pending.Remove(subscription);
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // The client registers the channel's queue before the server answers; a failed attempt's queue would
                // fill with the channel's messages once the subscription does come up, with nobody reading it.
                subscriber.Unsubscribe(subscription.Channel, null, CommandFlags.FireAndForget);
                // Still pending: tried again on the next watch while Redis answers.
                LogSubscribeFailed(e, subscription.Channel.ToString());
            }
        }
    }

    private async Task HandleAsync(Func<RedisValue, Task> handler, RedisValue message)
    {
        try
        {
            await handler(message);
        }
        catch (Exception e)
        {
            LogHandlerFailed(e);
        }
    }

    private async Task PublishAsync(ConnectionMultiplexer multiplexer, RedisChannel channel, RedisValue message)
    {
        try
        {
            await multiplexer.GetSubscriber().PublishAsync(channel, message);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The outage itself is logged once by the watch loop; one line per lost push would flood the log.
            LogPublishFailed(e, channel.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {Endpoints} answers: pushes reach every silo")]
    private partial void LogConnected(string endpoints);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Endpoints} is unreachable: pushes reach this silo's connections only until it answers again")]
    private partial void LogUnreachable(string endpoints);

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis at {Endpoints} cannot be used: pushes reach this silo's connections only")]
    private partial void LogUnusable(Exception exception, string endpoints);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Redis watch met an unexpected failure; it goes on")]
    private partial void LogWatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not subscribe to {Channel} yet")]
    private partial void LogSubscribeFailed(Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A push to {Channel} was not sent")]
    private partial void LogPublishFailed(Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message from another silo could not be handled")]
    private partial void LogHandlerFailed(Exception exception);
}
