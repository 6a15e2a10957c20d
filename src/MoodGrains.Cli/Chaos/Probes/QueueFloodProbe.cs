using System.Collections.Concurrent;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// Ten guests join one room and each adds tracks as fast as the server lets them, together far more than a queue
/// should hold; a listener counts the bytes each change pushes to every member.
/// </summary>
internal sealed class QueueFloodProbe : ChaosProbe
{
    private const int Flooders = 10;
    private const int AddsEach = 15;
    private const int MaxQueue = 200;
    private const int MaxSnapshotKb = 256;

    public override string Name => "queue flood";

    public override string Expected => $"{Flooders}x{AddsEach} adds: the queue cap refuses with a clear error (not TooFast); queue <= {MaxQueue}, snapshot <= {MaxSnapshotKb} KB";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        var guests = new ConcurrentBag<ChaosGuest>();
        try
        {
            var host = await cluster.MemberAsync(cluster.A, cancellationToken);
            guests.Add(host);
            var code = (await host.CreateRoomAsync("Host", cancellationToken)).Code;
            var accepted = 0;
            var tooFast = 0;
            var capErrors = new ConcurrentBag<string>();
            var otherErrors = new ConcurrentBag<string>();
            var largest = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, Flooders), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (f, ct) =>
            {
                var flooder = await cluster.MemberAsync(f % 2 == 0 ? cluster.A : cluster.B, ct);
                guests.Add(flooder);
                await flooder.JoinAsync(code, $"Flooder {f}", ct);
                for (var i = 0; i < AddsEach; i++)
                {
                    var track = cluster.TrackIds[((f * AddsEach) + i) % cluster.TrackIds.Count];
                    var (room, error, _) = await ChaosGuest.TimedAsync(() => flooder.RoomAsync("AddTrack", ct, code, track));
                    if (room is not null)
                    {
                        Interlocked.Increment(ref accepted);
                        InterlockedMax(ref largest, room.JsonLength);
                        cluster.Ledger.TrackAdded(code, track, flooder.UserId, accepted: true);
                    }
                    else if (ChaosGuest.IsTooFast(error))
                    {
                        Interlocked.Increment(ref tooFast);
                    }
                    else if (IsCapRefusal(error!))
                    {
                        capErrors.Add(error!);
                    }
                    else
                    {
                        otherErrors.Add(error!);
                        cluster.Ledger.TrackAdded(code, track, flooder.UserId, accepted: false);
                    }
                }
            });

            var final = await host.ReadRoomAsync(code, cancellationToken);
            var queue = final.Queue.Count;
            var kb = Math.Max(largest, final.JsonLength) / 1024.0;
            var held = !capErrors.IsEmpty && queue <= MaxQueue && kb <= MaxSnapshotKb;
            return new ProbeOutcome(
                $"{accepted} accepted, {tooFast} TooFast, {capErrors.Count} cap refusals" +
                (capErrors.TryPeek(out var cap) ? $" ('{cap}')" : string.Empty) +
                (otherErrors.TryPeek(out var other) ? $", {otherErrors.Count} other errors ('{other}')" : string.Empty) +
                $"; queue {queue}, largest snapshot {kb:F0} KB",
                held);
        }
        finally
        {
            foreach (var guest in guests)
            {
                await guest.DisposeAsync();
            }
        }
    }

    /// <summary>A refusal that names the queue or its limit, as a person would need to understand it.</summary>
    private static bool IsCapRefusal(string error) =>
        !error.StartsWith(nameof(TaskCanceledException), StringComparison.Ordinal) &&
        (error.Contains("queue", StringComparison.OrdinalIgnoreCase) || error.Contains("limit", StringComparison.OrdinalIgnoreCase) || error.Contains("tracks", StringComparison.OrdinalIgnoreCase));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
