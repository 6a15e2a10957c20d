using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace MoodGrains.Cli.Load;

/// <summary>The server could not be reached or refused to set the simulated members up.</summary>
internal sealed class LoadSetupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Drives simulated room members against a running server: signs each in as a guest, connects it to the room hub,
/// creates or joins its room, then sends its frame on a fixed timer and measures how long each reading takes to reach
/// every member of the room. Frames are paced by the clock, never by the previous answer: a frame whose turn comes
/// while the previous one is still unanswered is skipped and counted, as a browser at a fixed frame rate would.
/// </summary>
internal sealed class LoadRun(LoadSettings settings)
{
    private const int MaxErrorSamples = 5;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly List<double> _outcomeMs = [];
    private readonly List<double> _decodeMs = [];
    private readonly List<double> _detectMs = [];
    private readonly List<double> _classifyMs = [];
    private readonly List<double> _outsideInferenceMs = [];
    private readonly List<string> _errorSamples = [];
    private LatencyTracker? _tracker;
    private long _framesSent;
    private long _framesSkipped;
    private long _moodUpdates;
    private long _roomUpdates;
    private long _errors;
    private volatile bool _measuring;
    private volatile bool _stopping;

    private double NowMs => _clock.Elapsed.TotalMilliseconds;

    public async Task<LoadReport> RunAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var members = new List<SimulatedMember>();
        try
        {
            await ConnectAsync(members, progress, cancellationToken);
            await SeatAsync(members, progress, cancellationToken);
            _tracker = new LatencyTracker(members.ToDictionary(m => m.UserId, m => members.Count(o => o.Room == m.Room), StringComparer.Ordinal));

            // One awaited frame each first, outside the numbers: it activates user grains and warms the models.
            progress("warming up (one frame per member)");
            await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = settings.SetupParallelism, CancellationToken = cancellationToken }, WarmUpAsync);

            progress($"sending {settings.Fps:0.##} fps from {members.Count} members for {settings.Seconds} s");
            _measuring = true;
            var started = NowMs;
            var stopAt = started + (settings.Seconds * 1000.0);
            await Task.WhenAll(members.Select(m => SendLoopAsync(m, stopAt, cancellationToken)));
            var elapsedSeconds = (NowMs - started) / 1000.0;

            await Task.WhenAny(Task.WhenAll(members.Select(m => m.InFlight ?? Task.CompletedTask)), Task.Delay(settings.Drain, cancellationToken));
            var drainUntil = NowMs + settings.Drain.TotalMilliseconds;
            while (NowMs < drainUntil && Undelivered() > 0)
            {
                await Task.Delay(50, cancellationToken);
            }

            _measuring = false;
            return Report(elapsedSeconds);
        }
        finally
        {
            _stopping = true;
            await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = settings.SetupParallelism }, async (m, _) => await m.DisposeAsync());
        }
    }

    private async Task ConnectAsync(List<SimulatedMember> members, Action<string> progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = settings.Server, Timeout = TimeSpan.FromSeconds(30) };
        // The first sign-in alone, so an unreachable server gives one clear error instead of N.
        var first = await SignInAsync(http, cancellationToken);
        progress($"connecting {settings.Users} members");
        var slots = new SimulatedMember?[settings.Users];
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.Users), new ParallelOptions { MaxDegreeOfParallelism = settings.SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var session = i == 0 ? first : await SignInAsync(http, ct);
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(settings.Server, "hubs/room"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(session.Token))
                .Build();
            var member = new SimulatedMember(i, settings.RoomOf(i), session.UserId, connection, settings.Frames[i % settings.Frames.Count].Jpeg);
            connection.On<RoomMoodUpdateDto>("MoodUpdated", update => OnMoodUpdated(member, update));
            connection.On<JsonElement>("RoomUpdated", _ => Count(ref _roomUpdates));
            connection.On<string>("RemovedFromRoom", code => RecordError(new InvalidOperationException($"removed from room {code}")));
            connection.Closed += e =>
            {
                if (!_stopping)
                {
                    RecordError(e ?? new InvalidOperationException("the server closed the connection"));
                }

                return Task.CompletedTask;
            };
            slots[i] = member;
            try
            {
                await connection.StartAsync(ct);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
            {
                throw new LoadSetupException($"member {i} could not connect to the room hub: {e.Message}", e);
            }
        });
        members.AddRange(slots.OfType<SimulatedMember>());
    }

    private async Task<SessionDto> SignInAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsync("api/session", null, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new LoadSetupException($"POST {new Uri(settings.Server, "api/session")} answered {(int)response.StatusCode} {response.ReasonPhrase}; is this a MoodGrains server?");
            }

            return await response.Content.ReadFromJsonAsync<SessionDto>(JsonSerializerOptions.Web, cancellationToken)
                ?? throw new LoadSetupException("the server answered the session request with an empty body");
        }
        catch (HttpRequestException e)
        {
            throw new LoadSetupException($"cannot reach the server at {settings.Server}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LoadSetupException($"the server at {settings.Server} did not answer within 30 s", e);
        }
    }

    private async Task SeatAsync(List<SimulatedMember> members, Action<string> progress, CancellationToken cancellationToken)
    {
        progress($"creating {settings.Rooms} room(s)");
        var codes = new string[settings.Rooms];
        foreach (var creator in members.Where(m => m.Index < settings.Rooms))
        {
            var snapshot = await Hub(() => creator.Connection.InvokeAsync<RoomSnapshotDto>("CreateRoom", creator.DisplayName, false, cancellationToken), "CreateRoom");
            codes[creator.Room] = snapshot.Code;
        }

        await Parallel.ForEachAsync(members.Where(m => m.Index >= settings.Rooms), new ParallelOptions { MaxDegreeOfParallelism = settings.SetupParallelism, CancellationToken = cancellationToken },
            async (m, ct) => await Hub(() => m.Connection.InvokeAsync<RoomSnapshotDto>("JoinRoom", codes[m.Room], m.DisplayName, ct), "JoinRoom"));
    }

    private static async Task<T> Hub<T>(Func<Task<T>> call, string method)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException)
        {
            throw new LoadSetupException($"{method} failed: {e.Message}", e);
        }
    }

    private async ValueTask WarmUpAsync(SimulatedMember member, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var outcome = await member.Connection.InvokeAsync<FrameOutcomeDto>("SendFrame", member.Frame, cancellationToken);
                if (outcome.Mood is not null)
                {
                    return;
                }

                // Busy only says the server's queue is full (another client may be loading it too); a frame without a
                // usable face means the --frames photos are wrong, which would make every latency meaningless.
                if (outcome.Status != "Busy" || attempt == 10)
                {
                    throw new LoadSetupException($"the warm-up frame of member {member.Index} gave {outcome.Status}: {outcome.Detail}");
                }

                await Task.Delay(200 * attempt, cancellationToken);
            }
        }
        catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException)
        {
            throw new LoadSetupException($"SendFrame failed: {e.Message}", e);
        }
    }

    private async Task SendLoopAsync(SimulatedMember member, double stopAtMs, CancellationToken cancellationToken)
    {
        // The run ends on time even when the period is long: waiting for a tick past the end would stretch it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(0, stopAtMs - NowMs)));
        try
        {
            // Members start at random points of the period, as independent browsers would, not all in the same instant.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * settings.Period.TotalMilliseconds), stop.Token);
            using var timer = new PeriodicTimer(settings.Period);
            do
            {
                if (member.InFlight is { IsCompleted: false })
                {
                    Count(ref _framesSkipped);
                    continue;
                }

                member.InFlight = SendFrameAsync(member, cancellationToken);
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendFrameAsync(SimulatedMember member, CancellationToken cancellationToken)
    {
        Count(ref _framesSent);
        var sentMs = NowMs;
        try
        {
            var outcome = await member.Connection.InvokeAsync<FrameOutcomeDto>("SendFrame", member.Frame, cancellationToken);
            var roundTrip = NowMs - sentMs;
            lock (_gate)
            {
                _statuses[outcome.Status] = _statuses.GetValueOrDefault(outcome.Status) + 1;
                _outcomeMs.Add(roundTrip);
                if (outcome.Mood is not null)
                {
                    _decodeMs.Add(outcome.DecodeMs);
                    _detectMs.Add(outcome.DetectMs);
                    _classifyMs.Add(outcome.ClassifyMs);
                    _outsideInferenceMs.Add(roundTrip - outcome.DecodeMs - outcome.DetectMs - outcome.ClassifyMs);
                    _tracker!.OnOutcome(member.UserId, outcome.Mood.UpdatedAt, sentMs);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            RecordError(e);
        }
    }

    private void OnMoodUpdated(SimulatedMember receiver, RoomMoodUpdateDto update)
    {
        var arrived = NowMs;
        if (!_measuring)
        {
            return;
        }

        Count(ref _moodUpdates);
        lock (_gate)
        {
            foreach (var member in update.Mood.Members)
            {
                _tracker!.OnPush(receiver.UserId, member.UserId, member.Mood.UpdatedAt, arrived);
            }
        }
    }

    private int Undelivered()
    {
        lock (_gate)
        {
            return _tracker!.Undelivered;
        }
    }

    private void RecordError(Exception e)
    {
        if (!_measuring)
        {
            return;
        }

        Count(ref _errors);
        lock (_gate)
        {
            var text = $"{e.GetType().Name}: {e.Message}";
            if (_errorSamples.Count < MaxErrorSamples && !_errorSamples.Contains(text))
            {
                _errorSamples.Add(text);
            }
        }
    }

    private static void Count(ref long counter) => Interlocked.Increment(ref counter);

    private LoadReport Report(double elapsedSeconds)
    {
        lock (_gate)
        {
            var sent = Interlocked.Read(ref _framesSent);
            return new LoadReport(
                settings.Server.ToString(), settings.Users, settings.Rooms, settings.Fps, settings.Seconds,
                Math.Round(elapsedSeconds, 2),
                sent,
                Interlocked.Read(ref _framesSkipped),
                new SortedDictionary<string, int>(_statuses, StringComparer.Ordinal),
                Interlocked.Read(ref _moodUpdates),
                Interlocked.Read(ref _roomUpdates),
                Interlocked.Read(ref _errors),
                [.. _errorSamples],
                Math.Round(sent / elapsedSeconds, 1),
                Math.Round(sent / elapsedSeconds / settings.Users, 2),
                Percentiles.Summarize(_tracker!.LatenciesMs).Round(2),
                _tracker.Undelivered,
                Percentiles.Summarize(_outcomeMs).Round(2),
                Percentiles.Summarize(_decodeMs).Round(2),
                Percentiles.Summarize(_detectMs).Round(2),
                Percentiles.Summarize(_classifyMs).Round(2),
                Percentiles.Summarize(_outsideInferenceMs).Round(2),
                Environment.ProcessorCount);
        }
    }
}

/// <summary>
/// What a load run measured. Latency is frame sent -> the room push with that reading received by every member;
/// outcome is frame sent -> its answer; outside-inference is the outcome minus the server's decode, detect and
/// classify time (queue wait, grain calls and transport).
/// </summary>
internal sealed record LoadReport(
    string Url,
    int Users,
    int Rooms,
    double Fps,
    int Seconds,
    double ElapsedSeconds,
    long FramesSent,
    long FramesSkipped,
    IReadOnlyDictionary<string, int> FramesByStatus,
    long UpdatesReceived,
    long RoomUpdatesReceived,
    long Errors,
    IReadOnlyList<string> ErrorSamples,
    double AchievedFps,
    double AchievedFpsPerUser,
    Percentiles.Summary LatencyMs,
    int Undelivered,
    Percentiles.Summary OutcomeMs,
    Percentiles.Summary DecodeMs,
    Percentiles.Summary DetectMs,
    Percentiles.Summary ClassifyMs,
    Percentiles.Summary OutsideInferenceMs,
    int ProcessorCount);
