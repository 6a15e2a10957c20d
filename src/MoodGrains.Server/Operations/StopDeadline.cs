using Microsoft.Extensions.Options;
using MoodGrains.Server.Options;

namespace MoodGrains.Server.Operations;

/// <summary>
/// Ends the process when a stop outlives its budget. The host cancels a slow graceful stop after
/// <see cref="ClusterSiloOptions.ShutdownTimeout"/>, but Orleans' ungraceful path still writes the silo's death to
/// the membership table and retries while PostgreSQL is unreachable (a machine being stopped in the wrong order), which
/// kept the process alive for over a minute. The other silos notice a silo that vanished through their probes.
/// </summary>
internal sealed partial class StopDeadline(
    IHostApplicationLifetime lifetime,
    IOptions<ClusterSiloOptions> options,
    ILogger<StopDeadline> logger) : IHostedService
{
    /// <summary>What the process gets beyond the graceful budget to flush logs and close sockets.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(Arm);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }

    private void Arm()
    {
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
