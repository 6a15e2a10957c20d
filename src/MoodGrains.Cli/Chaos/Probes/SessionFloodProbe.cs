using System.Net;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// One address mints guest identities as fast as it can (8 requests in flight). Run last among the probes that sign
/// guests in: it spends the address's session budget on the silo it floods.
/// </summary>
internal sealed class SessionFloodProbe : ChaosProbe
{
    private const int MaxRequests = 1000;

    public override string Name => "session minting flood";

    public override string Expected => $"429 with Retry-After once the per-address limit is spent (within {MaxRequests} requests)";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        using var http = cluster.B.CreateClient();
        var minted = 0;
        var limited = 0;
        var other = 0;
        string? retryAfter = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, MaxRequests), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop.Token }, async (_, ct) =>
            {
                using var response = await http.PostAsync("/api/session", null, ct);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref minted);
                }
                else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref limited);
                    retryAfter ??= response.Headers.RetryAfter?.ToString();
                    // A few refusals are enough to see the limit hold; stop spending the machine on the rest.
                    if (Volatile.Read(ref limited) >= 20)
                    {
                        await stop.CancelAsync();
                    }
                }
                else
                {
                    Interlocked.Increment(ref other);
                }
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        var held = minted > 0 && limited > 0 && retryAfter is not null;
        return new ProbeOutcome(
            limited == 0
                ? $"{minted} identities minted, never limited{(other > 0 ? $" ({other} other answers)" : string.Empty)}"
                : $"429 after {minted} identities; Retry-After {retryAfter ?? "missing"}{(other > 0 ? $"; {other} other answers" : string.Empty)}",
            held);
    }
}
