using System.Text.RegularExpressions;
using Npgsql;

namespace MoodGrains.Server.Persistence;

/// <summary>
/// Recognises a PostgreSQL failure that a retry a moment later can fix: the server restarting or shutting down, a
/// broken or refused connection, too many clients. Such a failure reaches a caller as "try again", never as an
/// unexpected error.
/// </summary>
public static partial class TransientPostgres
{
    /// <summary>
    /// Connection exceptions (08), insufficient resources such as too many clients (53), operator intervention such as
    /// an admin or crash shutdown and "the database system is starting up" (57P).
    /// </summary>
    public static bool IsTransientState(string? sqlState) =>
        sqlState is not null && (sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57P", StringComparison.Ordinal) || sqlState is "40001" or "40P01");

    /// <summary>
    /// True when <paramref name="exception"/> or any exception inside it is a transient Npgsql failure. A failure that
    /// crossed a grain call may come back without its SQL state, so the state at the head of its message counts too.
    /// </summary>
    public static bool Is(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 8; depth++)
        {
            switch (exception)
            {
                case PostgresException postgres when IsTransientState(postgres.SqlState ?? StateInMessage(postgres.Message)):
                    return true;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case NpgsqlException npgsql when npgsql is not PostgresException && IsTransientState(StateInMessage(npgsql.Message)):
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }

            exception = exception.InnerException;
        }

        return false;
    }

    private static string? StateInMessage(string? message) =>
        message is not null && SqlStatePrefix().Match(message) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("^([0-9A-Z]{5}): ")]
    private static partial Regex SqlStatePrefix();
}
