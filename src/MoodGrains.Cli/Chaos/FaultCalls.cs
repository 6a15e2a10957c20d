using System.Text.Json;

namespace MoodGrains.Cli.Chaos;

/// <summary>
/// Members' calls made while a fault is in place or just after it: each bounded by its own time limit, timed, and kept
/// with its error; a track a member adds goes to the ledger as accepted or not, for the table checks.
/// </summary>
internal sealed class FaultCalls(ChaosCluster cluster, string code, TimeSpan giveUp, CancellationToken cancellationToken)
{
    private readonly List<(string What, string? Error, double Ms)> _calls = [];

    public IReadOnlyList<(string What, string? Error, double Ms)> Calls => _calls;

    public IReadOnlyList<(string What, string? Error, double Ms)> Failed => _calls.Where(c => c.Error is not null).ToList();

    public double SlowestMs => _calls.Count == 0 ? 0 : _calls.Max(c => c.Ms);

    /// <summary>"what 12 ms, what FAILED, ..." and the first failure's text.</summary>
    public string Summary =>
        string.Join(", ", _calls.Select(c => $"{c.What} {(c.Error is null ? $"{c.Ms:F0} ms" : "FAILED")}")) +
        (Failed is [var first, ..] ? $" ('{first.Error}')" : string.Empty);

    public Task AddTrackAsync(ChaosGuest who, string what, long track) =>
        CallAsync(what, ct => who.RoomAsync("AddTrack", ct, code, track), (who, track));

    public Task SetManualMoodAsync(ChaosGuest who, string what, string mood) =>
        CallAsync(what, ct => who.InvokeAsync<JsonElement>("SetManualMood", ct, mood));

    public Task CallAsync(string what, Func<CancellationToken, Task> call) => CallAsync(what, call, null);

    private async Task CallAsync(string what, Func<CancellationToken, Task> call, (ChaosGuest Who, long Track)? added)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(giveUp);
        var (_, error, ms) = await ChaosGuest.TimedAsync(async () =>
        {
            await call(limit.Token);
            return true;
        });
        _calls.Add((what, error, ms));
        if (added is { } add)
        {
            cluster.Ledger.TrackAdded(code, add.Track, add.Who.UserId, accepted: error is null);
        }
    }
}
