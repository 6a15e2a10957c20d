using Orleans.Storage;

namespace MoodGrains.Server.Persistence;

/// <summary>
/// Grain storage that survives a PostgreSQL restart: a read, write or clear that fails with a transient PostgreSQL
/// error is tried again through <see cref="PostgresRetry"/>, so a grain's write in flight at that moment is not lost.
/// A write that did land but whose answer was lost is safe to repeat: its version no longer matches, so the repeat is
/// refused as a conflict and the grain reads back what was stored. A failure that outlasts the retries reaches the
/// caller, which tells the person to try again.
/// </summary>
public sealed class RetryingGrainStorage(IGrainStorage inner, string name, PostgresRetry retry) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        retry.RunAsync(() => inner.ReadStateAsync(stateName, grainId, grainState), $"storage {name} read of {grainId}");

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        retry.RunAsync(() => inner.WriteStateAsync(stateName, grainId, grainState), $"storage {name} write of {grainId}");

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        retry.RunAsync(() => inner.ClearStateAsync(stateName, grainId, grainState), $"storage {name} clear of {grainId}");

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
