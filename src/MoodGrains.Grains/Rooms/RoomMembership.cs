using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// Who is in a room and who holds it, as plain state changes on <see cref="RoomState"/>, so the rules can be tested
/// without a cluster: joining, leaving, being removed, handing hosting over, who may control playback or the queue.
/// The grain calls these, then persists and tells the other grains and browsers.
/// </summary>
public static class RoomMembership
{
    public const int MaxMembers = 50;

    /// <summary>Removals a room remembers; beyond this the oldest ban lapses, so a room's state stays bounded.</summary>
    public const int MaxRemembered = 200;

    public static RoomState Create(string code, string hostUserId, string displayName, bool isSolo, RoomState current, DateTimeOffset now)
    {
        if (current.Created)
        {
            throw new RoomException(RoomError.RoomExists, $"Room {code} already exists.");
        }

        return new RoomState
        {
            Created = true,
            HostUserId = hostUserId,
            Members = [new RoomMember(hostUserId, displayName, now)],
            IsSolo = isSolo,
            CreatedAt = now,
        };
    }

    public static bool IsMember(RoomState state, string userId) => state.Members.Any(m => m.UserId == userId);

    public static void Join(RoomState state, string code, string userId, string displayName, DateTimeOffset now)
    {
        EnsureExists(state, code);
        if (IsMember(state, userId))
        {
            throw new RoomException(RoomError.AlreadyMember, "You are already in this room.");
        }

        if (IsBanned(state, userId))
        {
            throw new RoomException(RoomError.Banned, "The host removed you from this room, so you cannot join it again.");
        }

        if (state.IsSolo)
        {
            throw new RoomException(RoomError.RoomFull, "This is a solo session; it cannot be joined.");
        }

        if (state.Members.Count >= MaxMembers)
        {
            throw new RoomException(RoomError.RoomFull, $"This room is full ({MaxMembers} members).");
        }

        state.Members.Add(new RoomMember(userId, displayName, now));
    }

    public static bool IsBanned(RoomState state, string userId) => state.Banned.Any(m => m.UserId == userId);

    /// <summary>
    /// Takes a member out, with their Spotify follow and their say on the current track (a skip vote or a rating), so
    /// joining, voting and leaving over and over cannot add up to a skip; hands hosting on and pauses an emptied room.
    /// </summary>
    public static void Leave(RoomState state, string userId, DateTimeOffset now)
    {
        state.Members.RemoveAll(m => m.UserId == userId);
        state.Away.Remove(userId);
        state.SpotifyListeners.RemoveAll(l => l.UserId == userId);
        DropVotes(state, [userId], ratingsToo: true);
        if (state.HostUserId == userId && state.Members.Count > 0)
        {
            // The longest-present member inherits the room, so a room never sits without a host.
            state.HostUserId = state.Members.MinBy(m => m.JoinedAt)!.UserId;
        }

        if (state.Members.Count == 0)
        {
            RoomPlayback.Pause(state, now);
        }
    }

    /// <summary>The host removes another member; the caller must have passed <see cref="EnsureHost"/> first.</summary>
    public static void Remove(RoomState state, string code, string callerUserId, string memberUserId, DateTimeOffset now)
    {
        if (callerUserId == memberUserId)
        {
            throw new RoomException(RoomError.InvalidArgument, "The host cannot remove themselves; leave the room instead.");
        }

        EnsureMember(state, code, memberUserId);
        var member = state.Members.First(m => m.UserId == memberUserId);
        Leave(state, memberUserId, now);
        state.Banned.RemoveAll(m => m.UserId == memberUserId);
        state.Banned.Add(member with { JoinedAt = now });
        if (state.Banned.Count > MaxRemembered)
        {
            state.Banned.RemoveRange(0, state.Banned.Count - MaxRemembered);
        }
    }

    /// <summary>
    /// Takes the skip votes (and with <paramref name="ratingsToo"/> the likes and dislikes) of people no longer
    /// listening off the current track: only those present decide whether it is skipped.
    /// </summary>
    public static void DropVotes(RoomState state, IReadOnlyCollection<string> userIds, bool ratingsToo = false)
    {
        if (state.NowPlaying is not { } current || userIds.Count == 0)
        {
            return;
        }

        state.NowPlaying = current with
        {
            SkipVoters = current.SkipVoters.Where(u => !userIds.Contains(u)).ToArray(),
            Likes = ratingsToo ? current.Likes.Where(u => !userIds.Contains(u)).ToArray() : current.Likes,
            Dislikes = ratingsToo ? current.Dislikes.Where(u => !userIds.Contains(u)).ToArray() : current.Dislikes,
        };
    }

    public static void TransferHost(RoomState state, string newHostUserId)
    {
        if (!IsMember(state, newHostUserId))
        {
            throw new RoomException(RoomError.NotMember, "Hosting can only be handed to a member of the room.");
        }

        state.HostUserId = newHostUserId;
    }

    /// <summary>Starts or stops a member following the room on Spotify; each start is a new request the player answers.</summary>
    public static void SetSpotifyListening(RoomState state, string userId, bool enabled, string? deviceId)
    {
        if (deviceId is { Length: > 256 })
        {
            throw new RoomException(RoomError.InvalidArgument, "That is not a Spotify device id.");
        }

        var previous = state.SpotifyListeners.Find(l => l.UserId == userId);
        state.SpotifyListeners.RemoveAll(l => l.UserId == userId);
        if (enabled)
        {
            var device = string.IsNullOrWhiteSpace(deviceId) ? null : deviceId;
            state.SpotifyListeners.Add(new SpotifyListener(userId, device, (previous?.Request ?? 0) + 1));
        }
    }

    public static void EnsureExists(RoomState state, string code)
    {
        if (!state.Created)
        {
            throw new RoomException(RoomError.RoomNotFound, $"There is no room with the code {code}.");
        }

        if (state.ClosedAt is not null)
        {
            throw new RoomException(RoomError.RoomClosed, $"Room {code} has ended: it stood empty for a long time. Start a new room.");
        }
    }

    public static void EnsureMember(RoomState state, string code, string userId)
    {
        EnsureExists(state, code);
        if (!IsMember(state, userId))
        {
            throw new RoomException(RoomError.NotMember, "You are not a member of this room.");
        }
    }

    public static void EnsureHost(RoomState state, string code, string userId)
    {
        EnsureExists(state, code);
        if (state.HostUserId != userId)
        {
            throw new RoomException(RoomError.NotHost, "Only the host can do that.");
        }
    }

    /// <summary>Playback controls: the host, or any member when the host has opened them to guests.</summary>
    public static void EnsureCanControl(RoomState state, string code, string userId)
    {
        EnsureMember(state, code, userId);
        if (userId != state.HostUserId && !state.GuestControls)
        {
            throw new RoomException(RoomError.NotHost, "Only the host can control playback in this room.");
        }
    }

    /// <summary>Adding to the queue: any member, unless the host has locked it.</summary>
    public static void EnsureCanAdd(RoomState state, string code, string userId)
    {
        EnsureMember(state, code, userId);
        if (userId != state.HostUserId && state.QueueLocked)
        {
            throw new RoomException(RoomError.NotHost, "The host has locked the queue.");
        }
    }
}
