using MoodGrains.Hosting.Local;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// A silo starts while Redis is down (a cluster of its own on the same database, so the others never place grains on
/// it); two guests then create and join a room through it.
/// </summary>
internal sealed class RedisDownAtStartProbe : ChaosProbe
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(120);

    public override string Name => "Redis down at start";

    public override string Expected => "the silo starts without Redis; create and join work through it";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        await cluster.Redis.StopAsync();
        SiloProcess? silo = null;
        try
        {
            try
            {
                silo = await cluster.StartSiloAsync(cluster.ClusterId + "-noredis", cluster.Redis.ConnectionString, StartPatience);
            }
            catch (TimeoutException e)
            {
                return new ProbeOutcome($"the silo was not healthy within {StartPatience.TotalSeconds:F0} s{LastRedisLine(e.Message)}", false);
            }
            catch (InvalidOperationException e)
            {
                return new ProbeOutcome($"the silo did not start: {FirstError(e.Message)}", false);
            }

            await using var host = await cluster.MemberAsync(silo, cancellationToken);
            var (created, createError, createMs) = await ChaosGuest.TimedAsync(() => host.CreateRoomAsync("Host", cancellationToken));
            string? joinError = "not tried";
            var joinMs = 0.0;
            if (created is not null)
            {
                await using var guest = await cluster.MemberAsync(silo, cancellationToken);
                (_, joinError, joinMs) = await ChaosGuest.TimedAsync(() => guest.JoinAsync(created.Code, "Guest", cancellationToken));
            }

            return new ProbeOutcome(
                $"silo started; create {(createError is null ? $"ok in {createMs:F0} ms" : "failed: " + createError)}, join {(joinError is null ? $"ok in {joinMs:F0} ms" : "failed: " + joinError)}",
                createError is null && joinError is null);
        }
        finally
        {
            silo?.Kill();
            await cluster.Redis.StartAgainAsync();
        }
    }

    /// <summary>The server's last log line about Redis, which says what it was waiting for.</summary>
    private static string LastRedisLine(string output)
    {
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Contains("Redis", StringComparison.OrdinalIgnoreCase));
        return line is null ? string.Empty : $" (last Redis line: {(line.Length > 120 ? line[..120] + "..." : line)})";
    }

    /// <summary>The first exception line of a server's output, which names why it stopped.</summary>
    private static string FirstError(string output)
    {
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal)) ?? output.Split('\n')[0];
        return line.Length > 120 ? line[..120] + "..." : line;
    }
}
