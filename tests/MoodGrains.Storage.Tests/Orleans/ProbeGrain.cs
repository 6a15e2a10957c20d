
namespace MoodGrains.Storage.Tests.Orleans;

/// <summary>A tiny grain that exercises the three ADO.NET providers: persistent state and a reminder.</summary>
[Alias("MoodGrains.Storage.Tests.IProbeGrain")]
public interface IProbeGrain : IGrainWithStringKey
{
    [Alias("Save")]
    Task SaveAsync(string mood, int plays);

    [Alias("Get")]
    Task<ProbeSnapshot> GetAsync();

    [Alias("RegisterReminder")]
    Task RegisterReminderAsync(string name);

    [Alias("GetReminderNames")]
    Task<string[]> GetReminderNamesAsync();
}

[GenerateSerializer, Immutable, Alias("MoodGrains.Storage.Tests.ProbeSnapshot")]
public sealed record ProbeSnapshot(
    [property: Id(0)] string Mood,
    [property: Id(1)] int Plays,
    [property: Id(2)] string[] History,
    [property: Id(3)] bool RecordExists);

/// <summary>Plain properties only: the System.Text.Json storage serializer needs nothing else.</summary>
public sealed class ProbeState
{
    public string Mood { get; set; } = "";

    public int Plays { get; set; }

    public List<string> History { get; set; } = [];
}

[GrainType("storage-probe")]
public sealed class ProbeGrain(
    [PersistentState("probe", ProbeSilo.StorageName)] IPersistentState<ProbeState> state) : Grain, IProbeGrain, IRemindable
{
    public async Task SaveAsync(string mood, int plays)
    {
        state.State.Mood = mood;
        state.State.Plays = plays;
        state.State.History.Add(mood);
        await state.WriteStateAsync();
    }

    public Task<ProbeSnapshot> GetAsync() =>
        Task.FromResult(new ProbeSnapshot(state.State.Mood, state.State.Plays, [.. state.State.History], state.RecordExists));

    // Due far in the future: the test checks registration and listing, not ticking.
    public Task RegisterReminderAsync(string name) =>
        this.RegisterOrUpdateReminder(name, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));

    public async Task<string[]> GetReminderNamesAsync() =>
        [.. (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal)];

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
