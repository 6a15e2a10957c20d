using System.Net;
using System.Net.Http.Json;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Server.Tests;

/// <summary>The rooms API's error mapping on the in-process server: status code and problem title per error.</summary>
[Collection(WebCollection.Name)]
public sealed class RoomsApiErrorTests(WebServerFixture web)
{
    [Fact]
    public async Task Leaving_a_room_one_is_not_in_is_forbidden_as_not_a_member()
    {
        using var host = await web.SignInAsync();
        using var stranger = await web.SignInAsync();
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));

        var problem = await HttpRooms.ReadProblemAsync(await stranger.LeaveAsync(room.Code));

        Assert.Equal((HttpStatusCode.Forbidden, nameof(RoomError.NotMember)), problem);
    }

    [Fact]
    public async Task A_solo_session_cannot_be_joined()
    {
        using var host = await web.SignInAsync();
        using var guest = await web.SignInAsync();
        using var http = web.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", host.Session.Token);
        var solo = await HttpRooms.ReadRoomAsync(await http.PostAsJsonAsync("/api/rooms", new { displayName = "Ann", solo = true }));
        Assert.True(solo.IsSolo);

        var problem = await HttpRooms.ReadProblemAsync(await guest.JoinAsync(solo.Code, "Bob"));

        Assert.Equal((HttpStatusCode.Conflict, nameof(RoomError.RoomFull)), problem);
    }

    [Fact]
    public async Task A_missing_body_is_a_bad_request_not_a_server_error()
    {
        using var person = await web.SignInAsync();
        using var http = web.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", person.Session.Token);

        using var response = await http.PostAsync(new Uri("/api/rooms", UriKind.Relative), new StringContent("not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
