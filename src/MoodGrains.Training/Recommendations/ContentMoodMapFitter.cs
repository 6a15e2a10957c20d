using MoodGrains.Recommendations.Content;
using MoodGrains.Recommendations.Mood;

namespace MoodGrains.Training.Recommendations;

/// <summary>Fits and scores the content map (<see cref="ContentMoodMap"/>) on labelled tracks.</summary>
public static class ContentMoodMapFitter
{
    /// <summary>
    /// Ridge least squares from features to the circumplex position of each track's label
    /// (<see cref="MoodLabels.PositionOf"/>); the intercept is not penalised.
    /// </summary>
    public static ContentMoodMap Fit(IReadOnlyList<LabelledTrack> tracks, float ridge = 1f)
    {
        if (tracks.Count < TrackFeatures.Count + 1)
        {
            throw new ArgumentException("Too few labelled tracks to fit the content map.", nameof(tracks));
        }

        var means = new float[TrackFeatures.Count];
        var stds = new float[TrackFeatures.Count];
        for (var f = 0; f < TrackFeatures.Count; f++)
        {
            var values = tracks.Select(t => t.Features[f]).OfType<float>().ToArray();
            means[f] = values.Length == 0 ? 0 : values.Average();
            var variance = values.Length == 0 ? 0 : values.Select(v => (v - means[f]) * (v - means[f])).Average();
            stds[f] = variance > 0 ? MathF.Sqrt(variance) : 1;
        }

        const int d = TrackFeatures.Count + 1;
        var xtx = new double[d, d];
        var xty = new double[d, 2];
        var x = new double[d];
        foreach (var track in tracks)
        {
            x[0] = 1;
            for (var f = 0; f < TrackFeatures.Count; f++)
            {
                x[f + 1] = track.Features[f] is { } v ? (v - means[f]) / stds[f] : 0;
            }

            var target = MoodLabels.PositionOf(track.Label);
            for (var a = 0; a < d; a++)
            {
                for (var b = 0; b < d; b++)
                {
                    xtx[a, b] += x[a] * x[b];
                }

                xty[a, 0] += x[a] * target.Valence;
                xty[a, 1] += x[a] * target.Arousal;
            }
        }

        for (var a = 1; a < d; a++)
        {
            xtx[a, a] += ridge;
        }

        var w = Solve(xtx, xty);
        return new ContentMoodMap(means, stds,
            Enumerable.Range(0, d).Select(a => (float)w[a, 0]).ToArray(),
            Enumerable.Range(0, d).Select(a => (float)w[a, 1]).ToArray());
    }

    /// <summary>Share of tracks whose predicted point is nearest to their own label's position.</summary>
    public static double LabelAccuracy(this ContentMoodMap map, IReadOnlyList<LabelledTrack> tracks) =>
        tracks.Count == 0 ? 0 : tracks.Count(t => map.Predict(t.Features) is { } p && MoodLabels.Nearest(p) == t.Label) / (double)tracks.Count;

    /// <summary>Gaussian elimination with partial pivoting for the small normal equations (A is symmetric positive definite).</summary>
    private static double[,] Solve(double[,] a, double[,] b)
    {
        var n = a.GetLength(0);
        var m = b.GetLength(1);
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }

            for (var c = 0; c < n; c++)
            {
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            }

            for (var c = 0; c < m; c++)
            {
                (b[col, c], b[pivot, c]) = (b[pivot, c], b[col, c]);
            }

            for (var r = col + 1; r < n; r++)
            {
                var factor = a[r, col] / a[col, col];
                for (var c = col; c < n; c++)
                {
                    a[r, c] -= factor * a[col, c];
                }

                for (var c = 0; c < m; c++)
                {
                    b[r, c] -= factor * b[col, c];
                }
            }
        }

        var x = new double[n, m];
        for (var c = 0; c < m; c++)
        {
            for (var r = n - 1; r >= 0; r--)
            {
                var sum = b[r, c];
                for (var k = r + 1; k < n; k++)
                {
                    sum -= a[r, k] * x[k, c];
                }

                x[r, c] = sum / a[r, r];
            }
        }

        return x;
    }
}
