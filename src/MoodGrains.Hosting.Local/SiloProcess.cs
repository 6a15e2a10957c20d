using System.Diagnostics;
using System.Net.Http.Json;

namespace MoodGrains.Hosting.Local;

/// <summary>
/// A MoodGrains server (web host + silo) running as a separate OS process, so tests can form real multi-silo
/// clusters and kill one with SIGKILL. Uses the server build that matches the test build's configuration.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessOutput _output;

    private SiloProcess(Process process, int httpPort, int siloPort, int gatewayPort)
    {
        _process = process;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        _output = new ProcessOutput(process);
    }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public string Output => _output.Text;

    public static string ServerAssembly
    {
        get
        {
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            var path = System.IO.Path.Combine(RepositoryRoot.Path, "src", "MoodGrains.Server", "bin", configuration, "net10.0", "MoodGrains.Server.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"Build the server first ({configuration}): {path} is missing.", path);
        }
    }

    /// <summary>
    /// Starts a silo and waits until /health reports it ready. A port that another process took between being chosen
    /// and being bound makes the server exit at once; it is then started again on fresh ports (a pinned
    /// <paramref name="httpPort"/> is kept).
    /// </summary>
    public static async Task<SiloProcess> StartAsync(
        string postgresConnectionString,
        string? redisConnectionString = null,
        string clusterId = "test",
        string sessionKey = "bW9vZGdyYWlucy10ZXN0LXNpZ25pbmcta2V5LTMyYnl0ZXMhIQ==",
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        int? httpPort = null)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var silo = Launch(postgresConnectionString, redisConnectionString, clusterId, sessionKey, environment, httpPort);
            try
            {
                await silo.WaitUntilHealthyAsync(timeout ?? TimeSpan.FromSeconds(90));
                return silo;
            }
            catch (InvalidOperationException) when (attempt < attempts && silo.HasExited &&
                silo.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                silo._process.Dispose();
            }
            catch
            {
                await silo.DisposeAsync();
                throw;
            }
        }
    }

    private static SiloProcess Launch(
        string postgresConnectionString,
        string? redisConnectionString,
        string clusterId,
        string sessionKey,
        IReadOnlyDictionary<string, string>? environment,
        int? httpPort)
    {
        var port = httpPort ?? FreePort.Next();
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = System.IO.Path.GetDirectoryName(ServerAssembly)!,
        };
        foreach (var arg in new[] { ServerAssembly, "--urls", $"http://127.0.0.1:{port}", "--silo-port", siloPort.ToString(), "--gateway-port", gatewayPort.ToString(), "--cluster-id", clusterId })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["MOODGRAINS_POSTGRES"] = postgresConnectionString;
        info.Environment["MOODGRAINS_SESSION_KEY"] = sessionKey;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment.Remove("MOODGRAINS_REDIS");
        if (redisConnectionString is not null)
        {
            info.Environment["MOODGRAINS_REDIS"] = redisConnectionString;
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("The server process did not start.");
        return new SiloProcess(process, port, siloPort, gatewayPort);
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster, exactly like a crashed machine.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>A graceful stop (SIGTERM), letting the silo leave the cluster.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
        await term!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>
    /// Sends SIGTERM and waits up to <paramref name="patience"/> for the process to exit. Returns its exit code, or
    /// null (and leaves it running) when it did not exit in time.
    /// </summary>
    public async Task<int?> TerminateAsync(TimeSpan patience)
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            await term!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(patience);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // The parameterless wait also waits for the redirected output to be read to its end.
                _process.WaitForExit();
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        Kill();
        throw new TimeoutException($"The server did not become healthy within {timeout}:\n{Output}");
    }
}

/// <summary>A guest session obtained from a running server.</summary>
public sealed record GuestSession(string UserId, string Token)
{
    public static async Task<GuestSession> CreateAsync(HttpClient http)
    {
        using var response = await http.PostAsync("/api/session", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<GuestSession>())!;
    }

    public HttpClient Authorize(HttpClient http)
    {
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return http;
    }
}
