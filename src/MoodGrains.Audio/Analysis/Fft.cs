namespace MoodGrains.Audio.Analysis;

/// <summary>
/// An iterative radix-2 FFT of a real frame, for one fixed power-of-two size. The N real samples are packed into N/2
/// complex ones and unpacked afterwards, which halves the work of a plain complex transform. One instance per thread:
/// it owns its scratch buffers.
/// </summary>
internal sealed class Fft
{
    private readonly int _size;
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly double[] _re;
    private readonly double[] _im;

    public Fft(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentException("The FFT size must be a power of two of at least 4.", nameof(size));
        }

        _size = size;
        _half = size / 2;
        _re = new double[_half];
        _im = new double[_half];
        _bitReverse = new int[_half];
        var bits = int.Log2(_half);
        for (var i = 0; i < _half; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = r;
        }

        _cos = new double[_half];
        _sin = new double[_half];
        for (var i = 0; i < _half; i++)
        {
            _cos[i] = Math.Cos(2 * Math.PI * i / size);
            _sin[i] = -Math.Sin(2 * Math.PI * i / size);
        }
    }

    public int Size => _size;

    /// <summary>Magnitudes of bins 0..N/2 of <paramref name="frame"/> (length N) into <paramref name="magnitudes"/> (length N/2+1).</summary>
    public void Magnitudes(ReadOnlySpan<float> frame, Span<float> magnitudes)
    {
        var re = _re;
        var im = _im;
        for (var i = 0; i < _half; i++)
        {
            var j = _bitReverse[i];
            re[j] = frame[2 * i];
            im[j] = frame[2 * i + 1];
        }

        // Complex FFT of size N/2; the twiddle for size m is index (N/m) * k in the size-N table.
        for (var m = 2; m <= _half; m <<= 1)
        {
            var halfM = m >> 1;
            var step = _size / m;
            for (var start = 0; start < _half; start += m)
            {
                for (var k = 0; k < halfM; k++)
                {
                    var wr = _cos[k * step];
                    var wi = _sin[k * step];
                    var a = start + k;
                    var b = a + halfM;
                    var tr = wr * re[b] - wi * im[b];
                    var ti = wr * im[b] + wi * re[b];
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }

        // Unpack: X[k] = (Z[k] + conj(Z[N/2-k]))/2 + W^k (Z[k] - conj(Z[N/2-k]))/(2i).
        magnitudes[0] = (float)Math.Abs(re[0] + im[0]);
        magnitudes[_half] = (float)Math.Abs(re[0] - im[0]);
        for (var k = 1; k < _half; k++)
        {
            var zr = re[k];
            var zi = im[k];
            var cr = re[_half - k];
            var ci = -im[_half - k];
            var er = (zr + cr) / 2;
            var ei = (zi + ci) / 2;
            var or = (zi - ci) / 2;
            var oi = -(zr - cr) / 2;
            var wr = _cos[k];
            var wi = _sin[k];
            var xr = er + wr * or - wi * oi;
            var xi = ei + wr * oi + wi * or;
            magnitudes[k] = (float)Math.Sqrt(xr * xr + xi * xi);
        }
    }
}
