using System.Collections.Concurrent;
using Orleans.Storage;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>Which grains' next state write fails; shared by the test and the silo (one process).</summary>
public sealed class StorageFaults
{
    private readonly ConcurrentDictionary<GrainId, int> _failingWrites = new();

    public void FailNextWrite(GrainId grainId) => _failingWrites.AddOrUpdate(grainId, 1, (_, n) => n + 1);

    public bool TakeWriteFailure(GrainId grainId)
    {
        while (_failingWrites.TryGetValue(grainId, out var n))
        {
            if (n <= 1 ? _failingWrites.TryRemove(KeyValuePair.Create(grainId, n)) : _failingWrites.TryUpdate(grainId, n - 1, n))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Memory grain storage whose writes fail on demand, as a database that went away would.</summary>
public sealed class FaultyGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        faults.TakeWriteFailure(grainId)
            ? Task.FromException(new IOException($"Injected write failure for {grainId}"))
            : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
