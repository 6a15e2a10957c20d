using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Server.Tests;

/// <summary>
/// The room hub over SignalR on the in-process server (no socket): its error paths, where every refusal reaches the
/// caller as a HubException that starts with the error code and changes nothing, and a push to members.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class HubErrorTests(WebServerFixture web)
{
    [Fact]
    public async Task A_connection_without_a_valid_session_is_refused()
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(web.Factory.Server.BaseAddress, "/hubs/room"), o =>
            {
                o.HttpMessageHandlerFactory = _ => web.Factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>("u123.99999999999.forged");
            })
            .Build();
        await using (hub)
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        }
    }

    [Fact]
    public async Task A_member_sees_the_member_list_change_when_someone_joins()
    {
        await using var host = await web.ConnectAsync();
        var twoMembers = new TaskCompletionSource<RoomSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.On<RoomSnapshot>("RoomUpdated", s =>
        {
            if (s.Members.Count == 2)
            {
                twoMembers.TrySetResult(s);
            }
        });
        var room = await host.InvokeAsync<RoomSnapshot>("CreateRoom", "Ann", false);

        await using var guest = await web.ConnectAsync();
        await guest.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob");

        var update = await twoMembers.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["Ann", "Bob"], update.Members.Select(m => m.DisplayName));
    }

    [Fact]
    public async Task Hub_errors_carry_the_error_code()
    {
        await using var person = await web.ConnectAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => person.InvokeAsync<RoomSnapshot>("JoinRoom", "ZZZZZZ", "Ann"));
        // SignalR prefixes a HubException's message with its own sentence; the code follows "HubException: ".
        Assert.Contains($"HubException: {nameof(RoomError.RoomNotFound)}: There is no room", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_and_malformed_codes_carry_their_error_code()
    {
        await using var person = await web.ConnectAsync();

        await AssertRefusedAsync(RoomError.RoomNotFound, () => person.InvokeAsync<RoomSnapshot>("JoinRoom", "ZZZZZZ", "Ann"));
        await AssertRefusedAsync(RoomError.InvalidRoomCode, () => person.InvokeAsync<RoomSnapshot>("JoinRoom", "O0O0O0", "Ann"));
        await AssertRefusedAsync(RoomError.InvalidRoomCode, () => person.InvokeAsync<RoomSnapshot>("Play", "not a code"));
    }

    [Fact]
    public async Task Non_members_and_guests_are_refused_and_the_room_is_unchanged()
    {
        await using var host = await web.ConnectAsync();
        await using var guest = await web.ConnectAsync();
        await using var stranger = await web.ConnectAsync();
        var room = await host.InvokeAsync<RoomSnapshot>("CreateRoom", "Ann", false);
        room = await guest.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob");

        await AssertRefusedAsync(RoomError.NotMember, () => stranger.InvokeAsync<RoomSnapshot>("ResumeRoom", room.Code));
        await AssertRefusedAsync(RoomError.NotMember, () => stranger.InvokeAsync<RoomSnapshot>("VoteSkip", room.Code));
        await AssertRefusedAsync(RoomError.NotMember, () => stranger.InvokeAsync<RoomSnapshot>("LeaveRoom", room.Code));
        await AssertRefusedAsync(RoomError.NotHost, () => guest.InvokeAsync<RoomSnapshot>("Skip", room.Code));
        await AssertRefusedAsync(RoomError.NotHost, () => guest.InvokeAsync<RoomSnapshot>("SetPolicy", room.Code, MoodPolicy.Calm));
        await AssertRefusedAsync(RoomError.NotHost, () => guest.InvokeAsync<RoomSnapshot>("RemoveMember", room.Code, "u-anyone"));
        await AssertRefusedAsync(RoomError.AlreadyMember, () => guest.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob"));

        var after = await host.InvokeAsync<RoomSnapshot>("ResumeRoom", room.Code);
        Assert.Equal(room.Version, after.Version);
    }

    [Fact]
    public async Task Bad_input_is_refused_as_invalid()
    {
        await using var host = await web.ConnectAsync();
        var room = await host.InvokeAsync<RoomSnapshot>("CreateRoom", "Ann", false);

        await AssertRefusedAsync(RoomError.InvalidDisplayName, () => host.InvokeAsync<RoomSnapshot>("CreateRoom", " ", false));
        await AssertRefusedAsync(RoomError.InvalidArgument, () => host.InvokeAsync<RoomSnapshot>("Seek", room.Code, 1_000));
        await AssertRefusedAsync(RoomError.InvalidArgument, () => host.InvokeAsync<RoomSnapshot>("MoveEntry", room.Code, "e999", 0));
        await AssertRefusedAsync(RoomError.InvalidArgument, () => host.InvokeAsync<IReadOnlyList<TrackInfo>>("SearchTracks", room.Code, ""));
        await AssertRefusedAsync(RoomError.InvalidArgument, () => host.InvokeAsync<object>("SetManualMood", "ecstatic"));
    }

    [Fact]
    public async Task A_manual_mood_reaches_the_room_and_every_member_hears_it()
    {
        await using var host = await web.ConnectAsync();
        await using var guest = await web.ConnectAsync();
        var moods = new TaskCompletionSource<RoomMoodUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        guest.On<RoomMoodUpdate>("MoodUpdated", m => moods.TrySetResult(m));
        var room = await host.InvokeAsync<RoomSnapshot>("CreateRoom", "Ann", false);
        await guest.InvokeAsync<RoomSnapshot>("JoinRoom", room.Code, "Bob");

        await host.InvokeAsync<object>("SetManualMood", "happy");

        var update = await moods.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Mood.Emotion.Happy, update.Mood.Dominant);
        Assert.True(update.Mood.Point.Valence > 0.5f);
        Assert.True(Assert.Single(update.Mood.Members).Mood.Manual);

        // Picking the same again is fine; clearing hands the member back to the camera (none here: no reading).
        Assert.True((await host.InvokeAsync<MoodSnapshot>("SetManualMood", "happy")).Manual);
        var cleared = await host.InvokeAsync<MoodSnapshot>("ClearManualMood");
        Assert.False(cleared.Manual);
        Assert.Equal(0f, cleared.Confidence);
    }

    private static async Task AssertRefusedAsync<T>(RoomError expected, Func<Task<T>> call)
    {
        var error = await Assert.ThrowsAsync<HubException>(call);
        Assert.Contains($"{expected}:", error.Message, StringComparison.Ordinal);
    }
}
