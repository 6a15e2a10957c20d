namespace MoodGrains.Server.Persistence;

/// <summary>
/// Runs a PostgreSQL operation again after a transient failure (<see cref="TransientPostgres"/>: the server restarting,
/// a pooled connection it dropped, too many clients): the pools are cleared and the operation is tried again shortly
/// after, twice at most. Only for operations that may safely run twice: grain state writes (versioned), reads, and
/// inserts keyed so a repeat adds nothing. A failure that outlasts the retries reaches the caller.
/// </summary>
public sealed partial class PostgresRetry(PostgresPools pools, ILogger<PostgresRetry> logger)
{
    /// <summary>
    /// Short enough that a retried call still answers inside a grain call's response timeout; long enough to ride out
    /// a fast restart, whose first half-second refuses connections.
    /// </summary>
    public static IReadOnlyList<TimeSpan> Delays { get; } = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(1200)];

    /// <param name="what">What is being done, for the log ("storage rooms write of room/AB12").</param>
    public async Task<T> RunAsync<T>(Func<Task<T>> operation, string what)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (Exception e) when (attempt < Delays.Count && TransientPostgres.Is(e))
            {
                LogRetrying(what, e.Message, Delays[attempt].TotalMilliseconds);
                pools.Clear();
                await Task.Delay(Delays[attempt]);
            }
        }
    }

    public Task RunAsync(Func<Task> operation, string what) =>
        RunAsync(async () =>
        {
            await operation();
            return true;
        }, what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL failed transiently during {Operation} ({Reason}); trying again in {DelayMs} ms")]
    private partial void LogRetrying(string operation, string reason, double delayMs);
}
