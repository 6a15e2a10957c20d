using System.Diagnostics;

namespace MoodGrains.Hosting.Local;

/// <summary>A private, non-persistent redis-server on a free loopback port, for one test run.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Whether the server is running (false between <see cref="StopAsync"/> and <see cref="StartAgainAsync"/>).</summary>
    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RedisServer> StartAsync()
    {
        var port = FreePort.Next();
        return new RedisServer(await LaunchAsync(port), port);
    }

    /// <summary>Kills the server as a crash would (SIGKILL); clients see their connections drop.</summary>
    public Task StopAsync()
    {
        Terminate();
        return Task.CompletedTask;
    }

    /// <summary>Starts an empty server again on the same port after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        _process = await LaunchAsync(Port);
    }

    public ValueTask DisposeAsync()
    {
        Terminate();
        return ValueTask.CompletedTask;
    }

    private void Terminate()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        _process = null;
    }

    private static async Task<Process> LaunchAsync(int port)
    {
        var executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server was not found. Install it with 'apt-get install redis-server'.");
        var process = Process.Start(new ProcessStartInfo(executable,
            $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode yes")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode}.");
            }

            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return process;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill();
        throw new TimeoutException("redis-server did not accept connections within 20 s.");
    }
}
