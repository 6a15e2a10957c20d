using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Server.Identity;

namespace MoodGrains.Server.Hubs;

/// <summary>
/// The browser's door into rooms. Thin on purpose: it checks the caller's identity, forwards to the room grain and
/// subscribes the connection to the room's group; pushes come from <see cref="SignalRRoomNotifier"/>.
/// </summary>
[Authorize]
public sealed class RoomHub(IGrainFactory grains, GrainCalls calls) : Hub<IRoomClient>
{
    public static string GroupOf(string roomCode) => "room:" + roomCode;

    public async Task<RoomSnapshot> CreateRoom(string displayName, bool solo = false)
    {
        var snapshot = await calls.CreateRoomAsync(Context.User.UserId(), displayName, solo);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(snapshot.Code));
        return snapshot;
    }

    public async Task<RoomSnapshot> JoinRoom(string roomCode, string displayName)
    {
        var code = calls.NormalizeCode(roomCode);
        // Subscribe first so this connection cannot miss the update its own join causes.
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(code));
        try
        {
            return await Invoke(() => Room(code).JoinAsync(Context.User.UserId(), displayName));
        }
        catch
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(code));
            throw;
        }
    }

    /// <summary>Re-attaches a reconnected page to a room its user is already in, and returns the current state.</summary>
    public async Task<RoomSnapshot> ResumeRoom(string roomCode)
    {
        var code = calls.NormalizeCode(roomCode);
        var snapshot = await Invoke(() => Room(code).GetSnapshotAsync());
        if (snapshot.Members.All(m => m.UserId != Context.User.UserId()))
        {
            throw new HubException($"{RoomError.NotMember}: You are not a member of this room.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(code));
        return snapshot;
    }

    public async Task<RoomSnapshot> LeaveRoom(string roomCode)
    {
        var code = calls.NormalizeCode(roomCode);
        var snapshot = await Invoke(() => Room(code).LeaveAsync(Context.User.UserId()));
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(code));
        return snapshot;
    }

    public Task<RoomSnapshot> TransferHost(string roomCode, string newHostUserId) =>
        Invoke(() => Room(calls.NormalizeCode(roomCode)).TransferHostAsync(Context.User.UserId(), newHostUserId));

    public Task<RoomSnapshot> RemoveMember(string roomCode, string memberUserId) =>
        Invoke(() => Room(calls.NormalizeCode(roomCode)).RemoveMemberAsync(Context.User.UserId(), memberUserId));

    private IRoomGrain Room(string code) => grains.GetGrain<IRoomGrain>(code);

    private async Task<T> Invoke<T>(Func<Task<T>> call)
    {
        try
        {
            return await calls.RetryAsync(call);
        }
        catch (RoomException e)
        {
            // The error code leads the message so clients can branch on it without parsing prose.
            throw new HubException($"{e.Error}: {e.Message}");
        }
    }
}
