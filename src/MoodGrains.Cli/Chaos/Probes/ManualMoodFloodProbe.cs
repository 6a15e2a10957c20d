using System.Text.Json;

namespace MoodGrains.Cli.Chaos.Probes;

/// <summary>One member picks a mood 60 times as fast as they can; another member counts the mood pushes they receive.</summary>
internal sealed class ManualMoodFloodProbe : ChaosProbe
{
    private const int Picks = 60;
    private const int MaxAccepted = 20;

    public override string Name => "manual-mood flood";

    public override string Expected => $"{Picks} picks: TooFast after the limit (<= {MaxAccepted} accepted); the listener gets no more pushes than accepted picks";

    public override async Task<ProbeOutcome> RunAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        await using var flooder = await cluster.MemberAsync(cluster.A, cancellationToken);
        var code = (await flooder.CreateRoomAsync("Moody", cancellationToken)).Code;
        await using var listener = await cluster.MemberAsync(cluster.B, cancellationToken);
        await listener.JoinAsync(code, "Listener", cancellationToken);
        await Task.Delay(500, cancellationToken);
        var before = listener.MoodUpdates;

        var accepted = 0;
        var tooFast = 0;
        string? other = null;
        for (var i = 0; i < Picks; i++)
        {
            var (mood, error, _) = await ChaosGuest.TimedAsync(() => flooder.InvokeAsync<JsonElement>("SetManualMood", cancellationToken, i % 2 == 0 ? "happy" : "sad"));
            if (error is null)
            {
                accepted++;
            }
            else if (ChaosGuest.IsTooFast(error))
            {
                tooFast++;
            }
            else
            {
                other ??= error;
            }
        }

        // Pushes still on their way arrive within a moment; a second is generous.
        await Task.Delay(1000, cancellationToken);
        var pushes = listener.MoodUpdates - before;
        var held = tooFast > 0 && accepted <= MaxAccepted && pushes <= accepted + 1;
        return new ProbeOutcome(
            $"{accepted} accepted, {tooFast} TooFast{(other is null ? string.Empty : $", other: {other}")}; listener received {pushes} mood pushes",
            held);
    }
}
