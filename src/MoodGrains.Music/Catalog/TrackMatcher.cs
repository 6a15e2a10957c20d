using System.Globalization;
using System.Text;

namespace MoodGrains.Music.Catalog;

/// <summary>
/// Decides whether a provider's search hit is the catalogue's song. Titles differ in decoration
/// ("- 2011 Remaster", "(feat. X)", punctuation), so both sides are reduced to their core words first.
/// </summary>
public static class TrackMatcher
{
    /// <summary>The best candidate whose title and artist match, or null when none does.</summary>
    public static ProviderTrack? Best(TrackQuery wanted, IEnumerable<ProviderTrack> candidates)
    {
        var title = Normalize(wanted.Title);
        var artist = Normalize(wanted.Artist);
        ProviderTrack? best = null;
        var bestScore = double.MinValue;
        foreach (var candidate in candidates)
        {
            var candidateTitle = Normalize(candidate.Title);
            var titleMatches = candidateTitle == title
                || (title.Length >= 4 && candidateTitle.StartsWith(title, StringComparison.Ordinal))
                || (candidateTitle.Length >= 4 && title.StartsWith(candidateTitle, StringComparison.Ordinal));
            var artistMatches = candidate.Artists.Any(a => Normalize(a) == artist);
            if (!titleMatches || !artistMatches)
            {
                continue;
            }

            var score = (candidateTitle == title ? 2.0 : 1.0) + ((candidate.Popularity ?? 0) / 1000.0);
            if (wanted.DurationMs is { } duration && candidate.DurationMs > 0)
            {
                // Live takes and extended mixes share titles; prefer the take whose length is closest.
                score -= Math.Min(1.0, Math.Abs(candidate.DurationMs - duration) / 60_000.0);
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>Lower-case letters and digits of the part before any " - " or bracket, accents removed.</summary>
    public static string Normalize(string text)
    {
        var core = text;
        var dash = core.IndexOf(" - ", StringComparison.Ordinal);
        if (dash > 0)
        {
            core = core[..dash];
        }

        var bracket = core.IndexOfAny(['(', '[']);
        if (bracket > 0)
        {
            core = core[..bracket];
        }

        var decomposed = core.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c == '&')
            {
                builder.Append("and");
            }
        }

        return builder.ToString();
    }
}
