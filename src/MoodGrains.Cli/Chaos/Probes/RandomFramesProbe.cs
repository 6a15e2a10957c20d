using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MoodGrains.Cli.Load;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>
/// Two guests send frames of 1 MB of random bytes (three each, a fresh connection for each), then one of 400 KB
/// (under the frame size limit, so it reaches the decoder's door); then a newcomer sends an honest frame.
/// </summary>
internal sealed class RandomFramesProbe : ChaosProbe
{
    private const int Megabyte = 1_000_000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public override string Name => "1 MB random frames";

    public override string Expected => "each refused within 5 s with a reason (TooLarge / not an image), none read; the server then reads an honest frame";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        var slowest = 0.0;
        var read = 0;
        for (var g = 0; g < 2; g++)
        {
            await using var guest = await cluster.GuestAsync(g == 0 ? cluster.A : cluster.B, cancellationToken);
            foreach (var size in new[] { Megabyte, Megabyte, Megabyte, 400_000 })
            {
                var frame = new byte[size];
                Random.Shared.NextBytes(frame);
                await using var hub = guest.NewConnection();
                await hub.StartAsync(cancellationToken);
                var (answer, ms, wasRead) = await SendAsync(hub, frame, cancellationToken);
                var key = $"{(size == Megabyte ? "1 MB" : "400 KB")}: {answer}";
                answers[key] = answers.GetValueOrDefault(key) + 1;
                slowest = Math.Max(slowest, ms);
                read += wasRead ? 1 : 0;
            }
        }

        await using var newcomer = await cluster.MemberAsync(cluster.A, cancellationToken);
        var (honest, honestError, _) = await ChaosGuest.TimedAsync(() => newcomer.InvokeAsync<FrameOutcomeDto>("SendFrame", cancellationToken, cluster.HonestFrame));
        var healthy = honest?.Status is "Ok" or "NoFace";
        var refusedClearly = answers.Keys.All(k => !k.Contains("no answer", StringComparison.Ordinal) && !k.Contains("without a reason", StringComparison.Ordinal));
        var held = read == 0 && refusedClearly && slowest <= Patience.TotalMilliseconds && healthy;
        return new ProbeOutcome(
            $"{string.Join("; ", answers.Select(a => $"{a.Key} x{a.Value}"))}; slowest {slowest:F0} ms; honest frame after: {honest?.Status ?? honestError}",
            held);
    }

    private static async Task<(string Answer, double Ms, bool Read)> SendAsync(HubConnection hub, byte[] frame, CancellationToken cancellationToken)
    {
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience + TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        try
        {
            var outcome = await hub.InvokeAsync<FrameOutcomeDto>("SendFrame", frame, timeout.Token);
            return (outcome.Status, clock.Elapsed.TotalMilliseconds, outcome.Status is "Ok" or "NoFace");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ("no answer", clock.Elapsed.TotalMilliseconds, false);
        }
        catch (Exception e) when (e is HubException or InvalidOperationException or IOException or System.Net.WebSockets.WebSocketException)
        {
            var ms = clock.Elapsed.TotalMilliseconds;
            // The server may refuse by closing the connection; its close message is the reason the client gets.
            var reason = await Task.WhenAny(closed.Task, Task.Delay(1000, cancellationToken)) == closed.Task ? closed.Task.Result?.Message : null;
            var said = reason ?? ChaosGuest.ErrorText(e);
            return (Mentions(said) ? $"refused: {Short(said)}" : $"connection dropped without a reason ({Short(said)})", ms, false);
        }
    }

    private static bool Mentions(string text) =>
        text.Contains("size", StringComparison.OrdinalIgnoreCase) || text.Contains("large", StringComparison.OrdinalIgnoreCase) || text.Contains("maximum", StringComparison.OrdinalIgnoreCase);

    private static string Short(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
