using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Abstractions.Users;

public static class DisplayName
{
    public const int MaxLength = 40;

    /// <summary>Trims and checks a name a person chose; throws a <see cref="RoomException"/> that says what is wrong.</summary>
    public static string Validate(string? name)
    {
        var trimmed = (name ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            throw new RoomException(RoomError.InvalidDisplayName, "Please enter a name.");
        }

        if (trimmed.Length > MaxLength)
        {
            throw new RoomException(RoomError.InvalidDisplayName, $"Names can be at most {MaxLength} characters long.");
        }

        if (trimmed.Any(char.IsControl))
        {
            throw new RoomException(RoomError.InvalidDisplayName, "Names cannot contain control characters.");
        }

        return trimmed;
    }
}
