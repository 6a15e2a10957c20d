using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Server.Tests;

/// <summary>
/// A room is read by its members only: a stranger (or a former member) gets exactly the answer an unused code gets,
/// and a connection hears a room's pushes only after the room accepted it.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class MembersOnlyTests(WebServerFixture web)
{
    [Fact]
    public async Task A_stranger_reading_a_room_gets_the_same_404_as_for_an_unused_code()
    {
        using var host = await web.SignInAsync();
        using var stranger = await web.SignInAsync();
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));

        using var asStranger = await stranger.GetAsync(room.Code);
        using var unused = await stranger.GetAsync("ZZZZZZ");
        using var asMember = await host.GetAsync(room.Code);

        Assert.Equal(HttpStatusCode.NotFound, asStranger.StatusCode);
        var strangerBody = await asStranger.Content.ReadAsStringAsync();
        var unusedBody = await unused.Content.ReadAsStringAsync();
        Assert.Equal(WithoutTraceId(unusedBody).Replace("ZZZZZZ", room.Code, StringComparison.Ordinal), WithoutTraceId(strangerBody));
        Assert.DoesNotContain("Ann", strangerBody, StringComparison.Ordinal);
        Assert.Equal(room.Code, (await HttpRooms.ReadRoomAsync(asMember)).Code);
    }

    /// <summary>The problem body less its per-request trace id.</summary>
    private static string WithoutTraceId(string problem)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(problem)!.AsObject();
        Assert.True(json.Remove("traceId"));
        return json.ToJsonString();
    }

    [Fact]
    public async Task A_member_who_left_can_no_longer_read_the_room()
    {
        using var host = await web.SignInAsync();
        using var guest = await web.SignInAsync();
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));
        await HttpRooms.ReadRoomAsync(await guest.JoinAsync(room.Code, "Bob"));
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync(room.Code)).StatusCode);

        await HttpRooms.ReadRoomAsync(await guest.LeaveAsync(room.Code));

        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync(room.Code)).StatusCode);
    }

    [Fact]
    public async Task A_refused_join_hears_nothing_and_an_accepted_one_hears_the_next_change()
    {
        await using var host = await web.ConnectAsync();
        await using var refused = await web.ConnectAsync();
        await using var guest = await web.ConnectAsync();
        var heardByRefused = 0;
        refused.On<RoomSnapshot>("RoomUpdated", _ => Interlocked.Increment(ref heardByRefused));
        var heardByGuest = new TaskCompletionSource<RoomSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        guest.On<RoomSnapshot>("RoomUpdated", s =>
        {
            if (s.QueueLocked)
            {
                heardByGuest.TrySetResult(s);
            }
        });
        var room = await host.InvokeAsync<RoomSnapshot>("CreateRoom", "Ann", false);

        // Nothing visible in the name: the room refuses the join.
        await Assert.ThrowsAsync<HubException>(() => refused.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "\u200B\u202E"));
        var joined = await guest.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob");
        await host.InvokeAsync<RoomSnapshot>("SetQueueLocked", room.Code, true);

        Assert.Contains(joined.Members, m => m.DisplayName == "Bob");
        await heardByGuest.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, Volatile.Read(ref heardByRefused));
    }
}
