using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// Three members search the catalogue from two connections each, back to back, for four seconds; meanwhile another
/// member keeps re-reading the room and newcomers join it. Searching must not take the room's turn from them.
/// </summary>
internal sealed class SearchFloodProbe : ChaosProbe
{
    private const int Searchers = 3;
    private const int ConnectionsEach = 2;
    private static readonly TimeSpan Flood = TimeSpan.FromSeconds(4);
    private const double MaxHonestMs = 1500;

    public override string Name => "search flood stalling a room";

    public override string Expected => $"while {Searchers}x{ConnectionsEach} connections search non-stop, other members' room calls all succeed within {MaxHonestMs:F0} ms";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        var guests = new List<ChaosGuest>();
        var extra = new List<HubConnection>();
        try
        {
            var host = await cluster.MemberAsync(cluster.A, cancellationToken);
            guests.Add(host);
            var code = (await host.CreateRoomAsync("Host", cancellationToken)).Code;
            var honest = await cluster.MemberAsync(cluster.B, cancellationToken);
            guests.Add(honest);
            await honest.JoinAsync(code, "Honest", cancellationToken);
            var floods = new List<HubConnection>();
            for (var s = 0; s < Searchers; s++)
            {
                var searcher = await cluster.MemberAsync(s % 2 == 0 ? cluster.A : cluster.B, cancellationToken);
                guests.Add(searcher);
                await searcher.JoinAsync(code, $"Searcher {s}", cancellationToken);
                floods.Add(searcher.Hub!);
                for (var c = 1; c < ConnectionsEach; c++)
                {
                    var tab = searcher.NewConnection(s % 2 == 0 ? cluster.B : cluster.A);
                    await tab.StartAsync(cancellationToken);
                    extra.Add(tab);
                    floods.Add(tab);
                }
            }

            var newcomers = new List<ChaosGuest>();
            for (var n = 0; n < 3; n++)
            {
                var newcomer = await cluster.MemberAsync(n % 2 == 0 ? cluster.B : cluster.A, cancellationToken);
                guests.Add(newcomer);
                newcomers.Add(newcomer);
            }

            var answered = 0;
            var tooFast = 0;
            var searchMs = new ConcurrentBag<double>();
            var stopAt = Stopwatch.StartNew();
            var flooding = floods.Select(hub => Task.Run(async () =>
            {
                while (stopAt.Elapsed < Flood && !cancellationToken.IsCancellationRequested)
                {
                    var (_, error, ms) = await ChaosGuest.TimedAsync(() => hub.InvokeAsync<JsonElement>("SearchTracks", code, "a", cancellationToken));
                    if (error is null)
                    {
                        Interlocked.Increment(ref answered);
                        searchMs.Add(ms);
                    }
                    else if (ChaosGuest.IsTooFast(error))
                    {
                        Interlocked.Increment(ref tooFast);
                    }
                }
            }, cancellationToken)).ToList();

            var honestMs = new List<double>();
            var failures = new List<string>();
            await Task.Delay(300, cancellationToken);
            var call = 0;
            while (stopAt.Elapsed < Flood - TimeSpan.FromMilliseconds(300))
            {
                var (_, error, ms) = call % 3 == 2 && call / 3 < newcomers.Count
                    ? await ChaosGuest.TimedAsync(() => newcomers[call / 3].JoinAsync(code, $"Newcomer {call / 3}", cancellationToken))
                    : await ChaosGuest.TimedAsync(() => honest.RoomAsync("ResumeRoom", cancellationToken, code));
                honestMs.Add(ms);
                if (error is not null)
                {
                    failures.Add(error);
                }

                call++;
                await Task.Delay(250, cancellationToken);
            }

            await Task.WhenAll(flooding);
            var worst = honestMs.Count == 0 ? double.NaN : honestMs.Max();
            var held = honestMs.Count >= 5 && failures.Count == 0 && worst <= MaxHonestMs;
            return new ProbeOutcome(
                $"{answered} searches answered (p50 {Load.Percentiles.Of([.. searchMs], 50):F0} ms), {tooFast} TooFast; " +
                $"{honestMs.Count} member calls: p50 {Load.Percentiles.Of(honestMs, 50):F0} ms, max {worst:F0} ms" +
                (failures.Count > 0 ? $", {failures.Count} failed ('{failures[0]}')" : string.Empty),
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
}
