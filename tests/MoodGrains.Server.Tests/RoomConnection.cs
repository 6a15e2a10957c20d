using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Server.Tests;

/// <summary>A real .NET SignalR client of the room hub, collecting the room's pushes.</summary>
internal sealed class RoomConnection : IAsyncDisposable
{
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(30);
    private readonly Channel<RoomSnapshot> _updates = Channel.CreateUnbounded<RoomSnapshot>();
    private readonly Channel<RoomMoodUpdate> _moods = Channel.CreateUnbounded<RoomMoodUpdate>();

    private RoomConnection(HubConnection hub, GuestSession session)
    {
        Hub = hub;
        Session = session;
        Hub.On<RoomSnapshot>("RoomUpdated", s => _updates.Writer.TryWrite(s));
        Hub.On<RoomMoodUpdate>("MoodUpdated", m => _moods.Writer.TryWrite(m));
    }

    public HubConnection Hub { get; }

    public GuestSession Session { get; }

    public static async Task<RoomConnection> ConnectAsync(SiloProcess silo, bool autoReconnect = false, GuestSession? session = null)
    {
        using var http = silo.CreateClient();
        session ??= await GuestSession.CreateAsync(http);
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(silo.BaseAddress, "/hubs/room"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(session.Token))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        if (autoReconnect)
        {
            // Keeps trying for about two minutes: on a busy 2-core machine a restarted silo can take longer than the
            // 27 s the shorter schedule covered to answer again (a loaded local run saw the client give up).
            TimeSpan[] delays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)];
            builder.WithAutomaticReconnect([.. delays, .. Enumerable.Repeat(TimeSpan.FromSeconds(5), 22)]);
        }

        var connection = new RoomConnection(builder.Build(), session);
        await connection.Hub.StartAsync();
        return connection;
    }

    public Task<RoomSnapshot> InvokeAsync(string method, params object?[] args) => Hub.InvokeCoreAsync<RoomSnapshot>(method, args);

    public async Task<RoomSnapshot> NextUpdateAsync(Func<RoomSnapshot, bool> until)
    {
        using var timeout = new CancellationTokenSource(PushTimeout);
        while (true)
        {
            var update = await _updates.Reader.ReadAsync(timeout.Token);
            if (until(update))
            {
                return update;
            }
        }
    }

    public async Task<RoomMoodUpdate> NextMoodAsync(Func<RoomMoodUpdate, bool> until)
    {
        using var timeout = new CancellationTokenSource(PushTimeout);
        while (true)
        {
            var update = await _moods.Reader.ReadAsync(timeout.Token);
            if (until(update))
            {
                return update;
            }
        }
    }

    /// <summary>Room pushes received and not yet read.</summary>
    public IReadOnlyList<RoomSnapshot> DrainUpdates()
    {
        var updates = new List<RoomSnapshot>();
        while (_updates.Reader.TryRead(out var update))
        {
            updates.Add(update);
        }

        return updates;
    }

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
