using System.Globalization;
using System.Text;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Abstractions.Users;

public static class DisplayName
{
    public const int MaxLength = 40;

    /// <summary>
    /// Normalizes and checks a name a person chose; throws a <see cref="RoomException"/> that says what is wrong.
    /// Names are shown to everyone in a room, so what could make one name pass for another goes: the text is NFC,
    /// invisible format characters (bidi overrides and isolates, zero-width spaces and joiners, soft hyphens) are
    /// removed, every kind of space becomes one plain space, and the ends are trimmed.
    /// </summary>
    public static string Validate(string? name)
    {
        var normalized = Normalize(name);
        if (normalized.Length == 0)
        {
            throw new RoomException(RoomError.InvalidDisplayName, "Please enter a name with at least one visible character.");
        }

        if (normalized.Length > MaxLength)
        {
            throw new RoomException(RoomError.InvalidDisplayName, $"Names can be at most {MaxLength} characters long.");
        }

        if (normalized.Any(char.IsControl))
        {
            throw new RoomException(RoomError.InvalidDisplayName, "Names cannot contain control characters.");
        }

        return normalized;
    }

    /// <summary>The name as it will be shown (see <see cref="Validate"/>), without the checks.</summary>
    public static string Normalize(string? name)
    {
        string composed;
        try
        {
            composed = (name ?? string.Empty).Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Lone surrogates: not text at all.
            throw new RoomException(RoomError.InvalidDisplayName, "Names must be valid text.");
        }

        var builder = new StringBuilder(composed.Length);
        var pendingSpace = false;
        foreach (var rune in composed.EnumerateRunes())
        {
            if (rune == Rune.ReplacementChar)
            {
                // Also what a lone surrogate reads as.
                throw new RoomException(RoomError.InvalidDisplayName, "Names must be valid text.");
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.Format)
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune) || category is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(rune.ToString());
        }

        // Composed last, so a mark separated from its letter by a stripped character still composes with it.
        return CanonicalComposition.Compose(builder.ToString());
    }
}
