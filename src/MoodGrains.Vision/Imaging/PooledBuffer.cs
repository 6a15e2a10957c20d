using System.Buffers;

namespace MoodGrains.Vision.Imaging;

/// <summary>
/// A float buffer rented from the shared pool: model inputs (up to a few hundred KB) would otherwise land on the
/// large-object heap once per frame.
/// </summary>
internal readonly struct PooledBuffer : IDisposable
{
    private readonly float[] _array;

    public PooledBuffer(int length)
    {
        _array = ArrayPool<float>.Shared.Rent(length);
        Length = length;
    }

    public int Length { get; }

    public Span<float> Span => _array.AsSpan(0, Length);

    public Memory<float> Memory => _array.AsMemory(0, Length);

    public void Dispose() => ArrayPool<float>.Shared.Return(_array);
}
