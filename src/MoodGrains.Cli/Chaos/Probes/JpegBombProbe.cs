using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Cli.Load;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// Three guests send a progressive-JPEG decode bomb (1024x1024, 5,000 scans, about 60 KB: under the size and pixel
/// limits) from two connections each, back to back, while an honest member on the same silo sends webcam frames.
/// </summary>
internal sealed class JpegBombProbe : ChaosProbe
{
    private const int Attackers = 3;
    private const int ConnectionsEach = 2;
    private static readonly TimeSpan Flood = TimeSpan.FromSeconds(4);
    private const double MaxBombMs = 1000;
    private const double MaxHonestP95Ms = 1000;

    private static readonly Lazy<byte[]> Bomb = new(() => ProgressiveJpegBomb.Create());

    public override string Name => "progressive-JPEG bomb";

    public override string Expected => $"bombs from {Attackers}x{ConnectionsEach} connections refused within {MaxBombMs:F0} ms, none decoded; honest frames p95 <= {MaxHonestP95Ms:F0} ms";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        var guests = new List<ChaosGuest>();
        var extra = new List<HubConnection>();
        try
        {
            var bomb = Bomb.Value;
            var honest = await cluster.MemberAsync(cluster.A, cancellationToken);
            guests.Add(honest);
            var bombers = new List<HubConnection>();
            for (var a = 0; a < Attackers; a++)
            {
                var attacker = await cluster.MemberAsync(cluster.A, cancellationToken);
                guests.Add(attacker);
                bombers.Add(attacker.Hub!);
                for (var c = 1; c < ConnectionsEach; c++)
                {
                    var tab = attacker.NewConnection();
                    await tab.StartAsync(cancellationToken);
                    extra.Add(tab);
                    bombers.Add(tab);
                }
            }

            // One frame first, outside the numbers: it warms the models as a running server would be.
            await honest.InvokeAsync<FrameOutcomeDto>("SendFrame", cancellationToken, cluster.HonestFrame);

            var bombStatuses = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var bombMs = new ConcurrentBag<double>();
            var clock = Stopwatch.StartNew();
            var bombing = bombers.Select(hub => Task.Run(async () =>
            {
                while (clock.Elapsed < Flood && !cancellationToken.IsCancellationRequested)
                {
                    var (outcome, error, ms) = await ChaosGuest.TimedAsync(() => hub.InvokeAsync<FrameOutcomeDto>("SendFrame", bomb, cancellationToken));
                    bombStatuses.AddOrUpdate(outcome?.Status ?? "error", 1, (_, n) => n + 1);
                    bombMs.Add(ms);
                    _ = error;
                }
            }, cancellationToken)).ToList();

            var honestMs = new List<double>();
            var honestStatuses = new Dictionary<string, int>(StringComparer.Ordinal);
            while (clock.Elapsed < Flood)
            {
                var (outcome, _, ms) = await ChaosGuest.TimedAsync(() => honest.InvokeAsync<FrameOutcomeDto>("SendFrame", cancellationToken, cluster.HonestFrame));
                honestMs.Add(ms);
                var status = outcome?.Status ?? "error";
                honestStatuses[status] = honestStatuses.GetValueOrDefault(status) + 1;
                await Task.Delay(400, cancellationToken);
            }

            await Task.WhenAll(bombing);
            var decoded = bombStatuses.Where(s => s.Key is "Ok" or "NoFace").Sum(s => s.Value);
            var worstBomb = bombMs.IsEmpty ? double.NaN : bombMs.Max();
            var honestP95 = Percentiles.Of(honestMs, 95);
            var honestRead = honestStatuses.Where(s => s.Key is "Ok" or "NoFace").Sum(s => s.Value);
            var held = decoded == 0 && worstBomb <= MaxBombMs && honestP95 <= MaxHonestP95Ms && honestRead * 2 >= honestMs.Count;
            return new ProbeOutcome(
                $"{bomb.Length / 1024} KB bomb sent {bombMs.Count}x: {Describe(bombStatuses)}, slowest answer {worstBomb:F0} ms; " +
                $"honest frames {Describe(honestStatuses)}, p95 {honestP95:F0} ms",
                held);
        }
        finally
        {
            foreach (var tab in extra)
            {
                await tab.DisposeAsync();
            }

            foreach (var guest in guests)
            {
                await guest.DisposeAsync();
            }
        }
    }

    internal static string Describe(IEnumerable<KeyValuePair<string, int>> statuses) =>
        string.Join(" ", statuses.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}"));
}
