using System.Net;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Hosting.Local;
using Npgsql;

namespace MoodGrains.Server.Tests;

/// <summary>Room create / join / leave / host transfer through the HTTP API of a real silo on a real PostgreSQL.</summary>
[Collection(ServersCollection.Name)]
public sealed class RoomLifecycleTests(ServersFixture servers) : IAsyncLifetime
{
    private SiloProcess _silo = null!;
    private string _database = null!;

    public async Task InitializeAsync()
    {
        _database = await servers.Postgres.CreateDatabaseAsync("rooms");
        _silo = await SiloProcess.StartAsync(_database, clusterId: "rooms");
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Host_creates_guest_joins_and_leaves_and_host_hands_over()
    {
        using var host = await HttpRooms.SignInAsync(_silo);
        using var guest = await HttpRooms.SignInAsync(_silo);

        var created = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));
        Assert.True(RoomCode.TryNormalize(created.Code, out _));
        Assert.Equal(host.Session.UserId, created.HostUserId);

        var joined = await HttpRooms.ReadRoomAsync(await guest.JoinAsync(created.Code.ToLowerInvariant(), "Bob"));
        Assert.Equal(["Ann", "Bob"], joined.Members.Select(m => m.DisplayName));

        var transferred = await HttpRooms.ReadRoomAsync(await host.TransferHostAsync(created.Code, guest.Session.UserId));
        Assert.Equal(guest.Session.UserId, transferred.HostUserId);

        var left = await HttpRooms.ReadRoomAsync(await guest.LeaveAsync(created.Code));
        Assert.Equal(["Ann"], left.Members.Select(m => m.DisplayName));
        // The host left, so the longest-present member holds the room again.
        Assert.Equal(host.Session.UserId, left.HostUserId);
        Assert.True(left.Version > joined.Version);
    }

    [Fact]
    public async Task Rooms_and_their_members_are_recorded_in_the_rooms_and_users_tables()
    {
        using var host = await HttpRooms.SignInAsync(_silo);
        using var guest = await HttpRooms.SignInAsync(_silo);
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));
        await HttpRooms.ReadRoomAsync(await guest.JoinAsync(room.Code, "Bob"));

        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var rooms = new NpgsqlCommand("SELECT host_user_id, is_solo FROM rooms WHERE room_code = $1", connection);
        rooms.Parameters.AddWithValue(room.Code);
        await using (var reader = await rooms.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(host.Session.UserId, reader.GetString(0));
            Assert.False(reader.GetBoolean(1));
        }

        await using var users = new NpgsqlCommand("SELECT display_name FROM users WHERE user_id = ANY($1) ORDER BY display_name", connection);
        users.Parameters.AddWithValue(new[] { host.Session.UserId, guest.Session.UserId });
        var names = new List<string>();
        await using (var reader = await users.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["Ann", "Bob"], names);
    }

    [Fact]
    public async Task Unknown_and_malformed_codes_get_clear_errors()
    {
        using var person = await HttpRooms.SignInAsync(_silo);

        var unknown = await HttpRooms.ReadProblemAsync(await person.JoinAsync("ZZZZZZ", "Ann"));
        Assert.Equal((HttpStatusCode.NotFound, nameof(RoomError.RoomNotFound)), unknown);

        var malformed = await HttpRooms.ReadProblemAsync(await person.GetAsync("O0O0O0"));
        Assert.Equal((HttpStatusCode.BadRequest, nameof(RoomError.InvalidRoomCode)), malformed);
    }

    [Fact]
    public async Task Joining_twice_is_refused_and_changes_nothing()
    {
        using var host = await HttpRooms.SignInAsync(_silo);
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));

        var again = await HttpRooms.ReadProblemAsync(await host.JoinAsync(room.Code, "Ann again"));
        Assert.Equal((HttpStatusCode.Conflict, nameof(RoomError.AlreadyMember)), again);

        var after = await HttpRooms.ReadRoomAsync(await host.GetAsync(room.Code));
        Assert.Single(after.Members);
        Assert.Equal(room.Version, after.Version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Empty_names_are_refused(string? name)
    {
        using var person = await HttpRooms.SignInAsync(_silo);
        var problem = await HttpRooms.ReadProblemAsync(await person.CreateAsync(name!));
        Assert.Equal((HttpStatusCode.BadRequest, nameof(RoomError.InvalidDisplayName)), problem);
    }

    [Fact]
    public async Task A_200_character_name_is_refused()
    {
        using var host = await HttpRooms.SignInAsync(_silo);
        using var guest = await HttpRooms.SignInAsync(_silo);
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));

        var problem = await HttpRooms.ReadProblemAsync(await guest.JoinAsync(room.Code, new string('x', 200)));
        Assert.Equal((HttpStatusCode.BadRequest, nameof(RoomError.InvalidDisplayName)), problem);
        Assert.Single((await HttpRooms.ReadRoomAsync(await host.GetAsync(room.Code))).Members);
    }

    [Fact]
    public async Task A_guest_cannot_transfer_hosting()
    {
        using var host = await HttpRooms.SignInAsync(_silo);
        using var guest = await HttpRooms.SignInAsync(_silo);
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));
        await HttpRooms.ReadRoomAsync(await guest.JoinAsync(room.Code, "Bob"));

        var problem = await HttpRooms.ReadProblemAsync(await guest.TransferHostAsync(room.Code, guest.Session.UserId));
        Assert.Equal((HttpStatusCode.Forbidden, nameof(RoomError.NotHost)), problem);
        Assert.Equal(host.Session.UserId, (await HttpRooms.ReadRoomAsync(await host.GetAsync(room.Code))).HostUserId);
    }

    [Fact]
    public async Task Hosting_goes_only_to_members()
    {
        using var host = await HttpRooms.SignInAsync(_silo);
        var room = await HttpRooms.ReadRoomAsync(await host.CreateAsync("Ann"));

        var problem = await HttpRooms.ReadProblemAsync(await host.TransferHostAsync(room.Code, "u-not-a-member"));
        Assert.Equal((HttpStatusCode.Forbidden, nameof(RoomError.NotMember)), problem);
    }

    [Fact]
    public async Task Requests_without_a_valid_session_are_rejected()
    {
        using var anonymous = _silo.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/rooms/ABCDEF")).StatusCode);

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "u123.99999999999.forged");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/rooms/ABCDEF")).StatusCode);
    }
}
