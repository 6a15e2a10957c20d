namespace MoodGrains.Audio.Analysis;

/// <summary>
/// Tempo from an onset-strength envelope: its autocorrelation is read through a four-tooth comb (lags P, 2P, 3P, 4P)
/// for every candidate BPM in the prior's range. The comb gives precision (the 4P tooth resolves a quarter of a frame
/// at P) and settles octave questions: a tempo whose beat period carries no onsets scores low at P, and the half tempo
/// of a true beat scores below it because the biased autocorrelation decays with lag.
/// </summary>
internal static class TempoEstimator
{
    public const double MinBpm = 60;
    public const double MaxBpm = 180;

    /// <summary>Centre of a mild log-normal prior; an octave from it costs about 10 % of the score.</summary>
    private const double PriorCentreBpm = 110;
    private const double PriorOctaves = 2.2;
    private const int CombTeeth = 4;

    /// <summary>How high the half-period peak must stand, relative to the period's, to call the faster octave the beat.</summary>
    private const double HalfPeriodShare = 0.5;

    /// <returns>The tempo in BPM and the normalised autocorrelation at its period (0..1, beat clarity).</returns>
    public static (double Bpm, double Clarity) Estimate(ReadOnlySpan<float> onset, double framesPerSecond)
    {
        var envelope = Detrend(onset, framesPerSecond);
        var maxLag = (int)Math.Ceiling(CombTeeth * 60 * framesPerSecond / MinBpm) + 2;
        if (envelope.Length < maxLag * 2)
        {
            return (0, 0);
        }

        // Without its mean the envelope's autocorrelation sits near zero between peaks, so peak heights compare.
        var mean = envelope.Average();
        for (var i = 0; i < envelope.Length; i++)
        {
            envelope[i] -= mean;
        }

        var acf = new double[maxLag + 1];
        for (var lag = 0; lag <= maxLag; lag++)
        {
            double sum = 0;
            for (var n = 0; n + lag < envelope.Length; n++)
            {
                sum += envelope[n] * envelope[n + lag];
            }

            acf[lag] = sum / envelope.Length;
        }

        if (acf[0] <= 0)
        {
            return (0, 0);
        }

        for (var lag = maxLag; lag >= 0; lag--)
        {
            acf[lag] /= acf[0];
        }

        var best = BestInRange(acf, framesPerSecond, MinBpm, MaxBpm);

        // The comb leans to the slower of two octaves when the bar-level accents (kick and snare a half note apart)
        // outweigh the beat. If the beat period's half carries a clear peak of its own, the pulse is twice as fast:
        // take the faster octave while it stays in range. A slow piece with notes only on its beats has next to no
        // peak at half its period, so it keeps its tempo.
        if (best * 2 <= MaxBpm * 1.02)
        {
            var period = 60 * framesPerSecond / best;
            if (Peak(acf, period / 2) >= HalfPeriodShare * Peak(acf, period))
            {
                best = BestInRange(acf, framesPerSecond, best * 2 * 0.97, Math.Min(MaxBpm, best * 2 * 1.03));
            }
        }

        var bestBpm = best;
        var clarity = Math.Clamp(Interpolate(acf, 60 * framesPerSecond / bestBpm), 0, 1);
        return (Math.Round(bestBpm, 2), clarity);
    }

    private static double BestInRange(double[] acf, double framesPerSecond, double minBpm, double maxBpm)
    {
        double bestBpm = minBpm, bestScore = double.NegativeInfinity;
        for (var bpm = minBpm; bpm <= maxBpm; bpm += 0.05)
        {
            var period = 60 * framesPerSecond / bpm;
            double score = 0;
            for (var k = 1; k <= CombTeeth; k++)
            {
                score += Interpolate(acf, k * period);
            }

            var octaves = Math.Log2(bpm / PriorCentreBpm) / PriorOctaves;
            score *= Math.Exp(-0.5 * octaves * octaves);
            if (score > bestScore)
            {
                (bestBpm, bestScore) = (bpm, score);
            }
        }

        return bestBpm;
    }

    /// <summary>The highest autocorrelation within a frame of <paramref name="position"/>, so rounding of the period does not hide a peak.</summary>
    private static double Peak(double[] acf, double position)
    {
        var centre = (int)Math.Round(position);
        var peak = double.NegativeInfinity;
        for (var lag = Math.Max(1, centre - 1); lag <= Math.Min(acf.Length - 1, centre + 1); lag++)
        {
            peak = Math.Max(peak, acf[lag]);
        }

        return peak;
    }

    /// <summary>
    /// Subtracts a one-second moving average and keeps what rises above it, so slow swells in loudness do not read as
    /// a periodicity, then smooths with a short triangle so a note landing a frame early still meets its neighbours.
    /// </summary>
    private static double[] Detrend(ReadOnlySpan<float> onset, double framesPerSecond)
    {
        var n = onset.Length;
        var half = Math.Max(1, (int)(framesPerSecond / 2));
        var prefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            prefix[i + 1] = prefix[i] + onset[i];
        }

        var rectified = new double[n];
        for (var i = 0; i < n; i++)
        {
            var lo = Math.Max(0, i - half);
            var hi = Math.Min(n, i + half + 1);
            rectified[i] = Math.Max(0, onset[i] - (prefix[hi] - prefix[lo]) / (hi - lo));
        }

        var smoothed = new double[n];
        for (var i = 0; i < n; i++)
        {
            smoothed[i] = 0.5 * rectified[i]
                + 0.25 * (i > 0 ? rectified[i - 1] : 0)
                + 0.25 * (i + 1 < n ? rectified[i + 1] : 0);
        }

        return smoothed;
    }

    private static double Interpolate(double[] values, double position)
    {
        var i = (int)position;
        if (i + 1 >= values.Length)
        {
            return 0;
        }

        var t = position - i;
        return values[i] * (1 - t) + values[i + 1] * t;
    }
}
