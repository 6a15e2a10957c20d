using System.Security.Cryptography;

namespace MoodGrains.Abstractions.Rooms;

/// <summary>
/// Short codes people read aloud or type on a phone: six characters from an alphabet without look-alikes
/// (no 0/O, 1/I/L, U/V), which leaves 30^6, about 729 million codes.
/// </summary>
public static class RoomCode
{
    public const int Length = 6;

    public const string Alphabet = "ABCDEFGHJKMNPQRSTWXYZ23456789";

    public static string NewCode()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>Upper-cases and trims what a person typed; returns false when it cannot be a room code.</summary>
    public static bool TryNormalize(string? input, out string code)
    {
        code = (input ?? string.Empty).Trim().ToUpperInvariant();
        if (code.Length != Length)
        {
            return false;
        }

        foreach (var c in code)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
