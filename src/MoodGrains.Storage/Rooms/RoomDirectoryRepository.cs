using Npgsql;

namespace MoodGrains.Storage.Rooms;

/// <summary>The <c>rooms</c> and <c>users</c> tables: which rooms were opened by whom, and who has been seen under which name.</summary>
public sealed class RoomDirectoryRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Records a room as open; a reused code takes the new host and solo flag and is open again.</summary>
    public async Task RoomOpenedAsync(string roomCode, string hostUserId, bool isSolo, CancellationToken cancellationToken = default)
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

    /// <summary>Records when a room closed; a later room drawing the same code opens the row again.</summary>
    public async Task RoomClosedAsync(string roomCode, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE rooms SET closed_at = now() WHERE room_code = $1 AND closed_at IS NULL");
        command.Parameters.AddWithValue(roomCode);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records a user with their latest display name and when they were last seen.</summary>
    public async Task MemberSeenAsync(string userId, string displayName, CancellationToken cancellationToken = default)
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
