namespace MoodGrains.Cli.Load;

/// <summary>Nearest-rank percentiles: every reported value is one that was actually measured.</summary>
internal static class Percentiles
{
    /// <summary>The smallest value with at least <paramref name="percent"/>% of the values at or below it; NaN when empty.</summary>
    public static double Of(IReadOnlyList<double> values, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static Summary Summarize(IReadOnlyList<double> values) => values.Count == 0
        ? new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
        : new Summary(values.Count, values.Average(), Of(values, 50), Of(values, 95), Of(values, 99), values.Max());

    internal sealed record Summary(int Count, double Mean, double P50, double P95, double P99, double Max)
    {
        public Summary Round(int digits) =>
            new(Count, Math.Round(Mean, digits), Math.Round(P50, digits), Math.Round(P95, digits), Math.Round(P99, digits), Math.Round(Max, digits));
    }
}
