using System.Diagnostics;

namespace MoodGrains.Hosting.Local;

/// <summary>A private, non-persistent redis-server on a free loopback port, for one test run.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server was not found. Install it with 'apt-get install redis-server'.");
        var port = FreePort.Next();
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
                return new RedisServer(process, port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill();
        throw new TimeoutException("redis-server did not accept connections within 20 s.");
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
