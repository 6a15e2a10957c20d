using System.Collections.Concurrent;
using Orleans.Storage;

namespace MoodGrains.Grains.Tests.Cluster;

/// <summary>Which grains' next state write fails; shared by the test and the silo (one process).</summary>
public sealed class StorageFaults
{
    private readonly ConcurrentDictionary<GrainId, int> _failingWrites = new();
    private readonly ConcurrentDictionary<GrainId, int> _lostAnswers = new();

    public void FailNextWrite(GrainId grainId) => _failingWrites.AddOrUpdate(grainId, 1, (_, n) => n + 1);

    /// <summary>The grain's next write is stored, but the grain is told it failed (the answer was lost).</summary>
    public void LoseNextWriteAnswer(GrainId grainId) => _lostAnswers.AddOrUpdate(grainId, 1, (_, n) => n + 1);

    public bool TakeLostAnswer(GrainId grainId) => Take(_lostAnswers, grainId);

    public bool TakeWriteFailure(GrainId grainId) => Take(_failingWrites, grainId);

    private static bool Take(ConcurrentDictionary<GrainId, int> pending, GrainId grainId)
    {
        while (pending.TryGetValue(grainId, out var n))
        {
            if (n <= 1 ? pending.TryRemove(KeyValuePair.Create(grainId, n)) : pending.TryUpdate(grainId, n - 1, n))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Memory grain storage whose writes fail on demand, or land and then fail, as a database that went away would.</summary>
public sealed class FaultyGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (faults.TakeWriteFailure(grainId))
        {
            throw new IOException($"Injected write failure for {grainId}");
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (faults.TakeLostAnswer(grainId))
        {
            throw new IOException($"Injected lost answer after the write of {grainId}");
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
