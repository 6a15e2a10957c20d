using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MoodGrains.Hosting.Local;
using Xunit.Abstractions;

namespace MoodGrains.Server.Tests;

/// <summary>
/// The README's first command as a user runs it: <c>./run.sh</c> on a fresh data folder starts PostgreSQL, Redis and the
/// server; <c>./run.sh stop</c> stops all three; a second start finds the rooms and the guest sessions of the first.
/// The data folder, the ports and an empty music library (so no demo is composed) are the test's own.
/// </summary>
public sealed class RunScriptTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("moodgrains-run-").FullName;
    private readonly string _library = Directory.CreateTempSubdirectory("moodgrains-run-library-").FullName;
    private readonly int _postgresPort = FreePort.Next();
    private readonly int _redisPort = FreePort.Next();
    private readonly int _httpPort = FreePort.Next();

    public Task InitializeAsync()
    {
        // The postgres user must reach the data folder; temporary folders are created private.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await RunStopAsync();
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_library, recursive: true);
    }

    [Fact]
    public async Task Run_starts_everything_on_a_fresh_folder_stop_stops_it_and_a_second_start_keeps_the_rooms()
    {
        string code;
        GuestSession session;
        await using (var first = await StartAsync())
        {
            using var rooms = await HttpRooms.SignInAsync(Client());
            session = rooms.Session;
            code = (await HttpRooms.ReadRoomAsync(await rooms.CreateAsync("Kept"))).Code;
            Assert.True(IsListening(_postgresPort), "PostgreSQL is not listening on its port");
            Assert.True(IsListening(_redisPort), "Redis is not listening on its port");

            // Stopped without the ports in its environment, as a user types it: the data folder says what to stop.
            var (status, stopOutput) = await RunStopAsync();
            Assert.True(status == 0, $"./run.sh stop exited with {status}:\n{stopOutput}");
            Assert.True(await first.ExitedAsync(TimeSpan.FromSeconds(30)), $"the server still runs after ./run.sh stop:\n{OutputTail.Last(first.Output)}");
        }

        Assert.False(IsListening(_postgresPort), "PostgreSQL still listens after ./run.sh stop");
        Assert.False(await StillListeningAfterAsync(_redisPort, TimeSpan.FromSeconds(10)), "Redis still listens after ./run.sh stop");
        Assert.False(IsListening(_httpPort), "the server still listens after ./run.sh stop");
        Assert.False(File.Exists(Path.Combine(_data, "server.pid")), "./run.sh stop left the server's PID file");

        await using var second = await StartAsync();
        using var again = new HttpRooms(session.Authorize(Client()), session);
        var room = await HttpRooms.ReadRoomAsync(await again.GetAsync(code));
        Assert.Equal(code, room.Code);
        Assert.Equal(session.UserId, room.HostUserId);
    }

    private HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{_httpPort}"), Timeout = TimeSpan.FromSeconds(60) };

    private async Task<RunScript> StartAsync()
    {
        var script = RunScript.Start(Script([
            "--urls", $"http://127.0.0.1:{_httpPort}",
            "--silo-port", FreePort.Next().ToString(CultureInfo.InvariantCulture),
            "--gateway-port", FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ], withPorts: true));
        using var http = Client();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            if (script.HasExited)
            {
                throw new InvalidOperationException($"./run.sh exited before the server was healthy:\n{OutputTail.Last(script.Output)}");
            }

            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return script;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(500);
        }

        output.WriteLine(script.Output);
        await script.DisposeAsync();
        throw new TimeoutException("./run.sh did not bring up a healthy server within 5 minutes");
    }

    private async Task<(int Status, string Output)> RunStopAsync()
    {
        await using var stop = RunScript.Start(Script(["stop"], withPorts: false));
        var exited = await stop.ExitedAsync(TimeSpan.FromSeconds(90));
        output.WriteLine(stop.Output);
        return (exited ? stop.ExitCode : -1, stop.Output);
    }

    private ProcessStartInfo Script(string[] arguments, bool withPorts)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "run.sh"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var inherited in new[] { "MOODGRAINS_POSTGRES", "MOODGRAINS_REDIS", "MOODGRAINS_SESSION_KEY", "MOODGRAINS_PG_PORT", "MOODGRAINS_REDIS_PORT" })
        {
            info.Environment.Remove(inherited);
        }

        info.Environment["MOODGRAINS_DATA"] = _data;
        info.Environment["MOODGRAINS_LIBRARY"] = _library;
        if (withPorts)
        {
            info.Environment["MOODGRAINS_PG_PORT"] = _postgresPort.ToString(CultureInfo.InvariantCulture);
            info.Environment["MOODGRAINS_REDIS_PORT"] = _redisPort.ToString(CultureInfo.InvariantCulture);
        }

        return info;
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Redis is stopped by a signal and closes its port a moment later.</summary>
    private static async Task<bool> StillListeningAfterAsync(int port, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (IsListening(port))
        {
            if (DateTime.UtcNow > deadline)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    /// <summary>A run of the script with its output kept; disposing kills what is still running of it.</summary>
    private sealed class RunScript : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ProcessOutput _output;

        private RunScript(Process process)
        {
            _process = process;
            _output = new ProcessOutput(process);
        }

        public bool HasExited => _process.HasExited;

        public int ExitCode => _process.ExitCode;

        public string Output => _output.Text;

        public static RunScript Start(ProcessStartInfo info) =>
            new(Process.Start(info) ?? throw new InvalidOperationException("bash did not start"));

        public async Task<bool> ExitedAsync(TimeSpan patience)
        {
            using var timeout = new CancellationTokenSource(patience);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
