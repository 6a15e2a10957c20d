using Orleans.Storage;

namespace MoodGrains.Server.Persistence;

/// <summary>
/// Grain storage that survives a PostgreSQL restart: a read, write or clear that fails with a transient PostgreSQL
/// error (the server shutting down under it, a dead pooled connection) clears the pools and is tried again shortly
/// after, so a grain's write in flight at that moment is not lost. A failure that outlasts the retries reaches the
/// caller, which tells the person to try again.
/// </summary>
public sealed partial class RetryingGrainStorage(IGrainStorage inner, string name, PostgresPools pools, ILogger<RetryingGrainStorage> logger)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>
    /// Short enough that a retried call still answers inside a grain call's response timeout; long enough to ride out
    /// a fast restart, whose first half-second refuses connections.
    /// </summary>
    private static readonly TimeSpan[] Delays = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(1200)];

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync(() => inner.ReadStateAsync(stateName, grainId, grainState), "read", grainId);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync(() => inner.WriteStateAsync(stateName, grainId, grainState), "write", grainId);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync(() => inner.ClearStateAsync(stateName, grainId, grainState), "clear", grainId);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private async Task RunAsync(Func<Task> operation, string kind, GrainId grainId)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await operation();
                return;
            }
            catch (Exception e) when (attempt < Delays.Length && TransientPostgres.Is(e))
            {
                LogRetrying(name, kind, grainId.ToString(), e.Message, Delays[attempt].TotalMilliseconds);
                pools.Clear();
                await Task.Delay(Delays[attempt]);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage {Store} {Kind} of {GrainId} failed transiently ({Reason}); trying again in {DelayMs} ms")]
    private partial void LogRetrying(string store, string kind, string grainId, string reason, double delayMs);
}
