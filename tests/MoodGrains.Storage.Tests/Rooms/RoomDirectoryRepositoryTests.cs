using MoodGrains.Storage.Rooms;
using Npgsql;

namespace MoodGrains.Storage.Tests.Rooms;

[Collection(PostgresCollection.Name)]
public sealed class RoomDirectoryRepositoryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_reopened_room_code_takes_the_new_host_and_is_open_again()
    {
        await using var db = await MigratedAsync("directory_rooms");
        var rooms = new RoomDirectoryRepository(db);

        await rooms.RoomOpenedAsync("ABC234", "host-1", isSolo: false);
        await Execute(db, "UPDATE rooms SET closed_at = now() WHERE room_code = 'ABC234'");
        await rooms.RoomOpenedAsync("ABC234", "host-2", isSolo: true);
        await rooms.RoomOpenedAsync("XYZ789", "host-3", isSolo: false);

        var rows = await Rows(db, "SELECT room_code, host_user_id, is_solo, closed_at IS NULL FROM rooms ORDER BY room_code");
        Assert.Equal([["ABC234", "host-2", true, true], ["XYZ789", "host-3", false, true]], rows);
    }

    [Fact]
    public async Task A_closed_room_is_recorded_once_and_a_reused_code_opens_it_again()
    {
        await using var db = await MigratedAsync("directory_closed");
        var rooms = new RoomDirectoryRepository(db);
        await rooms.RoomOpenedAsync("ABC234", "host-1", isSolo: false);

        await rooms.RoomClosedAsync("ABC234");
        var closedAt = await Rows(db, "SELECT closed_at FROM rooms");
        await rooms.RoomClosedAsync("ABC234");
        Assert.Equal(closedAt, await Rows(db, "SELECT closed_at FROM rooms"));
        Assert.IsType<DateTime>(Assert.Single(Assert.Single(closedAt)));

        await rooms.RoomOpenedAsync("ABC234", "host-2", isSolo: false);
        Assert.Equal([["host-2", true]], await Rows(db, "SELECT host_user_id, closed_at IS NULL FROM rooms"));
    }

    [Fact]
    public async Task A_member_seen_again_keeps_one_row_with_the_latest_name_and_a_later_last_seen()
    {
        await using var db = await MigratedAsync("directory_users");
        var users = new RoomDirectoryRepository(db);

        await users.MemberSeenAsync("u1", "Ada");
        await Execute(db, "UPDATE users SET last_seen_at = now() - interval '1 hour'");
        await users.MemberSeenAsync("u1", "Ada L.");
        await users.MemberSeenAsync("u2", "Grace");

        var rows = await Rows(db, "SELECT user_id, display_name, last_seen_at > now() - interval '1 minute' FROM users ORDER BY user_id");
        Assert.Equal([["u1", "Ada L.", true], ["u2", "Grace", true]], rows);
    }

    private async Task<NpgsqlDataSource> MigratedAsync(string name)
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync(name);
        await DatabaseMigrator.MigrateAsync(connectionString);
        return NpgsqlDataSource.Create(connectionString);
    }

    private static async Task Execute(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<object[]>> Rows(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
