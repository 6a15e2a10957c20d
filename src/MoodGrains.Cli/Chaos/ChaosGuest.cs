using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Cli.Load;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Cli.Chaos;

/// <summary>
/// One guest of the suite: a signed-in identity with an HTTP client and, once connected, a room hub connection on a
/// chosen silo, counting the pushes it receives.
/// </summary>
internal sealed class ChaosGuest : IAsyncDisposable
{
    private long _roomUpdates;
    private long _moodUpdates;
    private long _removed;

    private ChaosGuest(SiloProcess silo, SessionDto session)
    {
        Silo = silo;
        UserId = session.UserId;
        Token = session.Token;
        Http = silo.CreateClient();
        Http.Timeout = TimeSpan.FromSeconds(30);
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
    }

    public SiloProcess Silo { get; }

    public string UserId { get; }

    public string Token { get; }

    public HttpClient Http { get; }

    public HubConnection? Hub { get; private set; }

    public long RoomUpdates => Interlocked.Read(ref _roomUpdates);

    public long MoodUpdates => Interlocked.Read(ref _moodUpdates);

    public long RemovedNotices => Interlocked.Read(ref _removed);

    public static async Task<ChaosGuest> SignInAsync(SiloProcess silo, CancellationToken cancellationToken)
    {
        using var http = silo.CreateClient();
        using var response = await http.PostAsync("/api/session", null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/session answered {(int)response.StatusCode}; the suite could not sign a guest in.");
        }

        var session = await response.Content.ReadFromJsonAsync<SessionDto>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidOperationException("POST /api/session answered an empty body.");
        return new ChaosGuest(silo, session);
    }

    /// <summary>A second hub connection of this identity (another tab), on <paramref name="silo"/> or its own.</summary>
    public HubConnection NewConnection(SiloProcess? silo = null) => new HubConnectionBuilder()
        .WithUrl(new Uri((silo ?? Silo).BaseAddress, "/hubs/room"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(Token))
        .Build();

    public async Task<ChaosGuest> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Hub is not null)
        {
            return this;
        }

        var hub = NewConnection();
        hub.On<JsonElement>("RoomUpdated", _ => Interlocked.Increment(ref _roomUpdates));
        hub.On<JsonElement>("MoodUpdated", _ => Interlocked.Increment(ref _moodUpdates));
        hub.On<string>("RemovedFromRoom", _ => Interlocked.Increment(ref _removed));
        await hub.StartAsync(cancellationToken);
        Hub = hub;
        return this;
    }

    /// <summary>A hub call answered with a room snapshot.</summary>
    public async Task<RoomView> RoomAsync(string method, CancellationToken cancellationToken, params object?[] args) =>
        new(await InvokeAsync<JsonElement>(method, cancellationToken, args));

    public Task<T> InvokeAsync<T>(string method, CancellationToken cancellationToken, params object?[] args) =>
        (Hub ?? throw new InvalidOperationException("Connect the guest first.")).InvokeCoreAsync<T>(method, args, cancellationToken);

    /// <summary>Creates a room over the hub and returns its snapshot.</summary>
    public Task<RoomView> CreateRoomAsync(string name, CancellationToken cancellationToken) => RoomAsync("CreateRoom", cancellationToken, name, false);

    public Task<RoomView> JoinAsync(string code, string name, CancellationToken cancellationToken) => RoomAsync("JoinRoom", cancellationToken, code, name);

    /// <summary>The room as this guest may read it over HTTP (members only).</summary>
    public async Task<RoomView> ReadRoomAsync(string code, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync($"/api/rooms/{code}", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /api/rooms/{code} answered {(int)response.StatusCode}.");
        }

        return new RoomView(await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken));
    }

    /// <summary>Runs a call and times it; the error (as the caller saw it) instead of the result when it failed.</summary>
    public static async Task<(T? Result, string? Error, double Ms)> TimedAsync<T>(Func<Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await call();
            return (result, null, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is HubException or InvalidOperationException or HttpRequestException or OperationCanceledException or TimeoutException or IOException)
        {
            return (default, ErrorText(e), clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>What the client was told, without SignalR's "An unexpected error occurred invoking ..." preamble.</summary>
    public static string ErrorText(Exception e)
    {
        var text = e.Message;
        var marker = text.IndexOf("HubException: ", StringComparison.Ordinal);
        text = marker >= 0 ? text[(marker + "HubException: ".Length)..] : $"{e.GetType().Name}: {text}";
        return text.Length > 140 ? text[..140] + "..." : text;
    }

    public static bool IsTooFast(string? error) => error is not null && error.Contains("TooFast", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }
    }
}
