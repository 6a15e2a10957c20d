namespace MoodGrains.Audio.Analysis;

/// <summary>
/// Key and mode by Krumhansl-Schmuckler: the track's 12-bin chroma is correlated (Pearson) with the Krumhansl-Kessler
/// major and minor probe-tone profiles rotated to each of the 12 tonics; the best of the 24 wins.
/// </summary>
internal static class KeyEstimator
{
    public static readonly string[] PitchNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    // Krumhansl & Kessler (1982), tonic first.
    private static readonly double[] MajorProfile = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
    private static readonly double[] MinorProfile = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

    /// <returns>The winning key, its correlation, and the best major minus the best minor correlation (how major it sounds).</returns>
    public static (int Tonic, KeyMode Mode, double Correlation, double Majorness) Estimate(ReadOnlySpan<double> chroma)
    {
        (int Tonic, double R) major = (0, double.NegativeInfinity), minor = (0, double.NegativeInfinity);
        for (var tonic = 0; tonic < 12; tonic++)
        {
            var r = Correlate(chroma, MajorProfile, tonic);
            if (r > major.R)
            {
                major = (tonic, r);
            }

            r = Correlate(chroma, MinorProfile, tonic);
            if (r > minor.R)
            {
                minor = (tonic, r);
            }
        }

        return major.R >= minor.R
            ? (major.Tonic, KeyMode.Major, major.R, major.R - minor.R)
            : (minor.Tonic, KeyMode.Minor, minor.R, major.R - minor.R);
    }

    private static double Correlate(ReadOnlySpan<double> chroma, double[] profile, int tonic)
    {
        double meanC = 0, meanP = 0;
        for (var i = 0; i < 12; i++)
        {
            meanC += chroma[i];
            meanP += profile[i];
        }

        meanC /= 12;
        meanP /= 12;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < 12; i++)
        {
            var x = chroma[(i + tonic) % 12] - meanC;
            var y = profile[i] - meanP;
            sxy += x * y;
            sxx += x * x;
            syy += y * y;
        }

        return sxx <= 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}
