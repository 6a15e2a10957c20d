namespace MoodGrains.Abstractions.Rooms;

/// <summary>Why a room operation was refused; each has a message a person can act on.</summary>
public enum RoomError
{
    RoomNotFound = 1,
    InvalidRoomCode = 2,
    AlreadyMember = 3,
    NotMember = 4,
    NotHost = 5,
    InvalidDisplayName = 6,
    RoomFull = 7,
    RoomExists = 8,
    InvalidArgument = 9,

    /// <summary>Playing on the member's own Spotify is not possible (not configured, not linked, not Premium).</summary>
    SpotifyUnavailable = 10,

    /// <summary>The host removed this person from the room; they cannot join it again.</summary>
    Banned = 30,

    /// <summary>The queue holds as many tracks as it may (per member or in all) until some have played.</summary>
    QueueFull = 31,

    /// <summary>The room ended after standing empty for a long time.</summary>
    RoomClosed = 32,
}

/// <summary>A refused room or user operation. Crosses grain and hub boundaries with its code intact.</summary>
[GenerateSerializer, Alias("moodgrains.RoomException")]
public sealed class RoomException : Exception
{
    public RoomException(RoomError error, string message)
        : base(message)
    {
        Error = error;
    }

    public RoomException()
    {
    }

    public RoomException(string message)
        : base(message)
    {
    }

    public RoomException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [Id(0)]
    public RoomError Error { get; private set; }
}
