using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Options;

namespace MoodGrains.Server.Operations;

/// <summary>
/// Ends the process when a stop outlives its budget. The host cancels a slow graceful stop after
/// <see cref="ClusterSiloOptions.ShutdownTimeout"/>, but Orleans' ungraceful path still writes the silo's death to
/// the membership table and retries while PostgreSQL is unreachable (a machine being stopped in the wrong order), which
/// kept the process alive for over a minute. The other silos notice a silo that vanished through their probes.
/// Armed only by a signal to the process (SIGTERM, SIGINT), never by a host stopped in code: a host inside another
/// process (tests' WebApplicationFactory) must not end that process.
/// </summary>
internal sealed partial class StopDeadline(
    IOptions<ClusterSiloOptions> options,
    ILogger<StopDeadline> logger) : IHostedService, IDisposable
{
    /// <summary>What the process gets beyond the graceful budget to flush logs and close sockets.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly List<PosixSignalRegistration> _signals = [];
    private int _armed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            // The host's own handler still runs and starts the stop; this one only starts the clock.
            _signals.Add(PosixSignalRegistration.Create(signal, _ => Arm()));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }
    }

    private void Arm()
    {
        if (Interlocked.Exchange(ref _armed, 1) == 1)
        {
            return;
        }

        var deadline = options.Value.ShutdownTimeout + Grace;
        var thread = new Thread(() =>
        {
            Thread.Sleep(deadline);
            LogStopOverdue(deadline);
            Environment.Exit(0);
        })
        {
            IsBackground = true,
            Name = "stop deadline",
        };
        thread.Start();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stop took longer than {Deadline}; leaving without saying goodbye to the cluster")]
    private partial void LogStopOverdue(TimeSpan deadline);
}
