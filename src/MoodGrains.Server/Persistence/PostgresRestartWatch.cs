using Npgsql;

namespace MoodGrains.Server.Persistence;

/// <summary>
/// Notices a PostgreSQL restart within a couple of seconds, even when no call has failed yet, and clears the pools
/// then: their idle connections died with the old server and would each fail one caller's command. A restart shows as
/// a failed probe or as a new <c>pg_postmaster_start_time()</c>.
/// </summary>
public sealed partial class PostgresRestartWatch(NpgsqlDataSource dataSource, PostgresPools pools, ILogger<PostgresRestartWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTime? started = null;
        var reachable = true;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var command = dataSource.CreateCommand("SELECT pg_postmaster_start_time()");
                    command.CommandTimeout = 2;
                    var now = (DateTime)(await command.ExecuteScalarAsync(stoppingToken))!;
                    if (!reachable || (started is { } before && before != now))
                    {
                        LogBack();
                        pools.Clear();
                    }

                    started = now;
                    reachable = true;
                }
                catch (Exception e) when (TransientPostgres.Is(e) || e is NpgsqlException or TimeoutException)
                {
                    if (reachable)
                    {
                        LogUnreachable(e.Message);
                    }

                    reachable = false;
                    // Dead connections only come from a server that went away; a busy pool or a refused function
                    // is no reason to drop everyone's connections every two seconds.
                    if (TransientPostgres.Is(e))
                    {
                        pools.Clear();
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The watch only helps; nothing it meets may stop the host.
                    LogWatchFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is unreachable ({Reason}); calls that need it are answered with 'try again'")]
    private partial void LogUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PostgreSQL restart watch met an unexpected failure; it goes on")]
    private partial void LogWatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL answers again (restarted); connection pools renewed")]
    private partial void LogBack();
}
