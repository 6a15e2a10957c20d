using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;

namespace MoodGrains.Server.Tests;

/// <summary>
/// A room's limits as a browser and a script meet them, on the whole server with its real PostgreSQL: a removed
/// member stays out, the queue caps, search runs on the catalogue's index, and where a room lives is for members only.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class RoomLimitsApiTests(WebServerFixture web)
{
    [Fact]
    public async Task Where_a_room_lives_is_told_to_members_only_with_the_same_404_as_an_unused_code()
    {
        using var host = await web.SignInAsync();
        using var stranger = await web.SignInAsync();
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));

        using var asStranger = await stranger.GetRawAsync($"/api/rooms/{room.Code}/location");
        using var unused = await stranger.GetRawAsync("/api/rooms/ZZZZZZ/location");

        Assert.Equal(HttpStatusCode.NotFound, asStranger.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, "RoomNotFound"), await HttpRooms.ReadProblemAsync(asStranger));
        Assert.Equal((HttpStatusCode.NotFound, "RoomNotFound"), await HttpRooms.ReadProblemAsync(unused));
        Assert.False(string.IsNullOrEmpty(await host.LocationAsync(room.Code)));
    }

    [Fact]
    public async Task A_member_the_host_removed_is_refused_when_joining_again_over_the_hub_and_over_http()
    {
        await using var host = await web.ConnectAsync();
        using var guest = await web.SignInAsync();
        await using var guestHub = await web.ConnectAsync(guest.Session);
        var room = await host.InvokeAsync<RoomSnapshot>("CreateRoom", "Ann", false);
        var joined = await guestHub.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob");
        var guestId = joined.Members.Single(m => m.DisplayName == "Bob").UserId;

        var removed = await host.InvokeAsync<RoomSnapshot>("RemoveMember", room.Code, guestId);
        Assert.Equal([guestId], removed.Removed.Select(m => m.UserId));

        var overHub = await Assert.ThrowsAsync<HubException>(() => guestHub.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob"));
        // The page shows what follows the code: a plain sentence.
        Assert.Contains("Banned: The host removed you from this room", overHub.Message, StringComparison.Ordinal);
        using var overHttp = await guest.JoinAsync(room.Code, "Bob");
        Assert.Equal((HttpStatusCode.Forbidden, "Banned"), await HttpRooms.ReadProblemAsync(overHttp));
    }

    [Fact]
    public async Task Search_finds_catalogue_tracks_for_a_member_and_a_guest_queues_only_a_few()
    {
        await using var host = await web.ConnectAsync();
        await using var guest = await web.ConnectAsync();
        await using var stranger = await web.ConnectAsync();
        var room = await host.InvokeAsync<RoomSnapshot>("CreateRoom", "Ann", false);
        await guest.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob");

        var found = await guest.InvokeAsync<IReadOnlyList<TrackInfo>>("SearchTracks", room.Code, "e");
        Assert.Equal(new RoomLimitOptions().SearchResults, found.Count);
        var notMember = await Assert.ThrowsAsync<HubException>(() => stranger.InvokeAsync<IReadOnlyList<TrackInfo>>("SearchTracks", room.Code, "e"));
        Assert.Contains("NotMember:", notMember.Message, StringComparison.Ordinal);

        var cap = new RoomLimitOptions().MaxQueuedPerMember;
        for (var i = 0; i < cap; i++)
        {
            await guest.InvokeAsync<RoomSnapshot>("AddTrack", room.Code, found[i % found.Count].TrackId);
        }

        var full = await Assert.ThrowsAsync<HubException>(() => guest.InvokeAsync<RoomSnapshot>("AddTrack", room.Code, found[0].TrackId));
        Assert.Contains("QueueFull:", full.Message, StringComparison.Ordinal);
    }
}
