using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;

namespace MoodGrains.Grains.Rooms;

[GrainType("room")]
public sealed class RoomGrain(
    [PersistentState("room", "rooms")] IPersistentState<RoomState> state,
    IRoomNotifier notifier,
    TimeProvider clock) : Grain, IRoomGrain
{
    public const int MaxMembers = 50;

    private string Code => this.GetPrimaryKeyString();

    public async Task<RoomSnapshot> CreateAsync(string hostUserId, string hostDisplayName, bool isSolo)
    {
        var name = DisplayName.Validate(hostDisplayName);
        if (state.State.Created)
        {
            throw new RoomException(RoomError.RoomExists, $"Room {Code} already exists.");
        }

        var now = clock.GetUtcNow();
        state.State = new RoomState
        {
            Created = true,
            HostUserId = hostUserId,
            Members = [new RoomMember(hostUserId, name, now)],
            IsSolo = isSolo,
            CreatedAt = now,
        };
        await GrainFactory.GetGrain<IUserGrain>(hostUserId).SetCurrentRoomAsync(Code);
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> JoinAsync(string userId, string displayName)
    {
        var name = DisplayName.Validate(displayName);
        EnsureExists();
        if (state.State.Members.Any(m => m.UserId == userId))
        {
            throw new RoomException(RoomError.AlreadyMember, "You are already in this room.");
        }

        if (state.State.IsSolo)
        {
            throw new RoomException(RoomError.RoomFull, "This is a solo session; it cannot be joined.");
        }

        if (state.State.Members.Count >= MaxMembers)
        {
            throw new RoomException(RoomError.RoomFull, $"This room is full ({MaxMembers} members).");
        }

        state.State.Members.Add(new RoomMember(userId, name, clock.GetUtcNow()));
        await GrainFactory.GetGrain<IUserGrain>(userId).SetCurrentRoomAsync(Code);
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> LeaveAsync(string userId)
    {
        EnsureExists();
        EnsureMember(userId);
        await RemoveAsync(userId);
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> TransferHostAsync(string callerUserId, string newHostUserId)
    {
        EnsureExists();
        EnsureHost(callerUserId);
        if (state.State.Members.All(m => m.UserId != newHostUserId))
        {
            throw new RoomException(RoomError.NotMember, "Hosting can only be handed to a member of the room.");
        }

        state.State.HostUserId = newHostUserId;
        return await CommitAsync();
    }

    public async Task<RoomSnapshot> RemoveMemberAsync(string callerUserId, string memberUserId)
    {
        EnsureExists();
        EnsureHost(callerUserId);
        if (callerUserId == memberUserId)
        {
            throw new RoomException(RoomError.InvalidArgument, "The host cannot remove themselves; leave the room instead.");
        }

        EnsureMember(memberUserId);
        await RemoveAsync(memberUserId);
        var snapshot = await CommitAsync();
        await notifier.MemberRemovedAsync(Code, memberUserId);
        return snapshot;
    }

    public Task<RoomSnapshot> GetSnapshotAsync()
    {
        EnsureExists();
        return Task.FromResult(Snapshot());
    }

    public Task<string> GetLocationAsync() => Task.FromResult(RuntimeIdentity);

    private async Task RemoveAsync(string userId)
    {
        state.State.Members.RemoveAll(m => m.UserId == userId);
        if (state.State.HostUserId == userId && state.State.Members.Count > 0)
        {
            // The longest-present member inherits the room, so a room never sits without a host.
            state.State.HostUserId = state.State.Members.MinBy(m => m.JoinedAt)!.UserId;
        }

        await GrainFactory.GetGrain<IUserGrain>(userId).SetCurrentRoomAsync(null);
    }

    private async Task<RoomSnapshot> CommitAsync()
    {
        state.State.Version++;
        await state.WriteStateAsync();
        var snapshot = Snapshot();
        await notifier.RoomChangedAsync(snapshot);
        return snapshot;
    }

    private RoomSnapshot Snapshot() => new(
        Code, state.State.HostUserId, state.State.Members.ToArray(), state.State.IsSolo, state.State.CreatedAt, state.State.Version);

    private void EnsureExists()
    {
        if (!state.State.Created)
        {
            throw new RoomException(RoomError.RoomNotFound, $"There is no room with the code {Code}.");
        }
    }

    private void EnsureMember(string userId)
    {
        if (state.State.Members.All(m => m.UserId != userId))
        {
            throw new RoomException(RoomError.NotMember, "You are not a member of this room.");
        }
    }

    private void EnsureHost(string userId)
    {
        if (state.State.HostUserId != userId)
        {
            throw new RoomException(RoomError.NotHost, "Only the host can do that.");
        }
    }
}
