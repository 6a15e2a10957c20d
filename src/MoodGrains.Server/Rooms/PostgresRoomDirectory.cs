using MoodGrains.Grains.Rooms;
using Npgsql;

namespace MoodGrains.Server.Rooms;

/// <summary>Keeps the <c>rooms</c> and <c>users</c> tables in step with the grains.</summary>
public sealed class PostgresRoomDirectory(NpgsqlDataSource dataSource) : IRoomDirectory
{
    public async Task RoomOpenedAsync(string roomCode, string hostUserId, bool isSolo, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO rooms (room_code, host_user_id, is_solo) VALUES ($1, $2, $3)
            ON CONFLICT (room_code) DO UPDATE SET host_user_id = EXCLUDED.host_user_id, is_solo = EXCLUDED.is_solo, closed_at = NULL
            """);
        command.Parameters.AddWithValue(roomCode);
        command.Parameters.AddWithValue(hostUserId);
        command.Parameters.AddWithValue(isSolo);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MemberSeenAsync(string userId, string displayName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO users (user_id, display_name) VALUES ($1, $2)
            ON CONFLICT (user_id) DO UPDATE SET display_name = EXCLUDED.display_name, last_seen_at = now()
            """);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(displayName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
