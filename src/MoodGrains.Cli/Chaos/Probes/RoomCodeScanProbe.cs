using System.Net;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// A stranger guesses room codes as fast as one client can (8 requests in flight), with an open room's code among
/// the guesses: the answers must not tell it apart, and the guessing must be cut short.
/// </summary>
internal sealed class RoomCodeScanProbe : ChaosProbe
{
    private const int Guesses = 200;

    public override string Name => "room-code scan";

    public override string Expected => $"every answer 404 or 429; the open room answers as an unused code; 429 within {Guesses} guesses";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        await using var host = await cluster.MemberAsync(cluster.A, cancellationToken);
        var open = (await host.CreateRoomAsync("Host", cancellationToken)).Code;
        await using var scanner = await cluster.GuestAsync(cluster.B, cancellationToken);

        // The open room and an unused code first, while the scanner's budget is still whole, so both get a real answer.
        var (openStatus, openBody) = await GetAsync(scanner, open, cancellationToken);
        var unused = RoomCode.NewCode();
        var (unusedStatus, unusedBody) = await GetAsync(scanner, unused, cancellationToken);
        var oracle = openStatus != unusedStatus || NonMemberReadProbe.Shape(openBody, open) != NonMemberReadProbe.Shape(unusedBody, unused);

        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var retryAfter = 0;
        var firstLimited = int.MaxValue;
        var sent = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, Guesses), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (_, ct) =>
        {
            var n = Interlocked.Increment(ref sent);
            using var response = await scanner.Http.GetAsync($"/api/rooms/{RoomCode.NewCode()}", ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                InterlockedMin(ref firstLimited, n);
                if (response.Headers.RetryAfter?.Delta is { } delta)
                {
                    Interlocked.Exchange(ref retryAfter, (int)delta.TotalSeconds);
                }
            }
        });

        var found = statuses.Count(s => s == HttpStatusCode.OK);
        var other = statuses.Count(s => s is not (HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests or HttpStatusCode.OK));
        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        var held = !oracle && found == 0 && other == 0 && openStatus == HttpStatusCode.NotFound && limited > 0 && retryAfter > 0;
        var open404 = oracle ? $"open room {(int)openStatus} vs unused {(int)unusedStatus} (tells them apart)" : $"open room and unused code both {(int)openStatus}";
        return new ProbeOutcome(
            $"{open404}; {Guesses} guesses: {statuses.Count(s => s == HttpStatusCode.NotFound)}x404, {limited}x429" +
            (limited > 0 ? $" (from guess ~{firstLimited}, Retry-After {retryAfter} s)" : " (never limited)") +
            (found + other > 0 ? $", {found}x200, {other} other" : string.Empty),
            held);
    }

    private static async Task<(HttpStatusCode, string)> GetAsync(ChaosGuest guest, string code, CancellationToken cancellationToken)
    {
        using var response = await guest.Http.GetAsync($"/api/rooms/{code}", cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
