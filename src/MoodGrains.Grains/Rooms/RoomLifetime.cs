namespace MoodGrains.Grains.Rooms;

/// <summary>What a room's lifetime asks of it now.</summary>
public enum RoomEnding
{
    None = 0,

    /// <summary>Empty for <see cref="RoomLimitOptions.CloseWhenEmptyFor"/>: close it.</summary>
    Close = 1,

    /// <summary>Closed for <see cref="RoomLimitOptions.FreeCodeAfter"/>: forget it, so its code may be used again.</summary>
    FreeCode = 2,
}

/// <summary>
/// How rooms end, as plain rules on <see cref="RoomState"/>. With nobody present a room pauses (no plays are logged
/// for nobody) and rests; left empty for long it closes, keeping nothing but the fact that its code is taken; later
/// the code is freed. A closed room refuses every call with <c>RoomClosed</c>.
/// </summary>
public static class RoomLifetime
{
    /// <summary>Whether the last change emptied the room or brought someone back to it.</summary>
    public enum PresenceChange
    {
        None = 0,
        Emptied = 1,
        Refilled = 2,
    }

    /// <summary>Notes since when nobody has been present, and reports the change.</summary>
    public static PresenceChange NotePresence(RoomState state, DateTimeOffset now)
    {
        if (!state.Created || state.ClosedAt is not null)
        {
            return PresenceChange.None;
        }

        var empty = RoomPlayback.PresentCount(state) == 0;
        if (empty && state.EmptySince is null)
        {
            state.EmptySince = now;
            return PresenceChange.Emptied;
        }

        if (!empty && state.EmptySince is not null)
        {
            state.EmptySince = null;
            return PresenceChange.Refilled;
        }

        return PresenceChange.None;
    }

    public static RoomEnding Due(RoomState state, RoomLimitOptions limits, DateTimeOffset now) =>
        !state.Created ? RoomEnding.None
        : state.ClosedAt is { } closed ? (now - closed >= limits.FreeCodeAfter ? RoomEnding.FreeCode : RoomEnding.None)
        : state.EmptySince is { } empty && now - empty >= limits.CloseWhenEmptyFor ? RoomEnding.Close
        : RoomEnding.None;

    /// <summary>When <see cref="Due"/> will next have something to do, if anything.</summary>
    public static DateTimeOffset? NextDue(RoomState state, RoomLimitOptions limits) =>
        !state.Created ? null
        : state.ClosedAt is { } closed ? closed + limits.FreeCodeAfter
        : state.EmptySince + limits.CloseWhenEmptyFor;

    /// <summary>
    /// What is left of a room once it closes: its code taken, when it was made and closed. Members, queue, moods,
    /// the ban list and the timeline are dropped with it.
    /// </summary>
    public static RoomState Closed(RoomState state, DateTimeOffset now) => new()
    {
        Created = true,
        CreatedAt = state.CreatedAt,
        IsSolo = state.IsSolo,
        Version = state.Version + 1,
        ClosedAt = now,
    };
}
