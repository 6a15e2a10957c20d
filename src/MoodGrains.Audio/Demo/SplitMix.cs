namespace MoodGrains.Audio.Demo;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its definition, so the same seed gives the same pieces on
/// every .NET version (System.Random promises no such thing).
/// </summary>
internal struct SplitMix(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>An integer in [min, max).</summary>
    public int Int(int min, int max) => min + (int)(Next() % (ulong)(max - min));

    public double Double() => (Next() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(0, items.Count)];
}
