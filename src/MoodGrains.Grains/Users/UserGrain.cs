using Microsoft.Extensions.Options;
using MoodGrains.Abstractions.Mood;
using MoodGrains.Abstractions.Rooms;
using MoodGrains.Abstractions.Users;
using MoodGrains.Mood;

namespace MoodGrains.Grains.Users;

[GrainType("user")]
public sealed class UserGrain(
    [PersistentState("user", "users")] IPersistentState<UserState> state,
    IOptions<MoodOptions> options,
    TimeProvider clock) : Grain, IUserGrain
{
    private DateTimeOffset _lastPersisted = DateTimeOffset.MinValue;

    public Task<UserProfile> GetProfileAsync() => Task.FromResult(Profile());

    public async Task<UserProfile> SetDisplayNameAsync(string displayName)
    {
        state.State.DisplayName = DisplayName.Validate(displayName);
        await state.WriteOrRevertAsync(DeactivateOnIdle);
        return Profile();
    }

    public async Task SetCurrentRoomAsync(string? roomCode)
    {
        if (state.State.CurrentRoom == roomCode)
        {
            return;
        }

        state.State.CurrentRoom = roomCode;
        await state.WriteOrRevertAsync(DeactivateOnIdle);
    }

    public async Task<MoodSnapshot> RecordReadingAsync(MoodReading reading)
    {
        var now = clock.GetUtcNow();
        // A capture time from the future (a browser's clock) must not freeze decay; treat it as now.
        var at = reading.CapturedAt > now ? now : reading.CapturedAt;
        state.State.Mood = state.State.Mood.Add(reading.Scores, reading.Confidence, at, options.Value.HalfLife);
        var replacesManual = reading.Source == MoodSource.Camera && state.State.Manual is not null && reading.Confidence > 0;
        if (replacesManual)
        {
            // Turning the camera on is how a member says "read my face now": the camera takes over from the pick.
            state.State.Manual = null;
        }

        if (replacesManual || now - _lastPersisted >= options.Value.PersistInterval)
        {
            _lastPersisted = now;
            await state.WriteOrRevertAsync(DeactivateOnIdle);
        }

        var snapshot = Mood(now);
        if (state.State.CurrentRoom is { } room)
        {
            // Pushed, not polled: the room hears about each change of this member's mood as it happens.
            await GrainFactory.GetGrain<IRoomGrain>(room).UpdateMemberMoodAsync(this.GetPrimaryKeyString(), snapshot);
        }

        return snapshot;
    }

    public async Task SetManualMoodAsync(Emotion? emotion)
    {
        if (emotion is { } picked && !Enum.IsDefined(picked))
        {
            throw new RoomException(RoomError.InvalidArgument, $"Unknown mood; use one of {string.Join(", ", Emotions.Names)}.");
        }

        state.State.Manual = emotion;
        state.State.ManualAt = clock.GetUtcNow();
        await state.WriteOrRevertAsync(DeactivateOnIdle);
    }

    public Task<MoodSnapshot> GetMoodAsync() => Task.FromResult(Mood(clock.GetUtcNow()));

    private MoodSnapshot Mood(DateTimeOffset now) => state.State.Manual is { } manual
        ? MoodSnapshot.Picked(manual, options.Value.ManualConfidence, state.State.ManualAt)
        : MoodSnapshot.From(state.State.Mood, now, options.Value.HalfLife);

    public async Task ForgetAsync()
    {
        state.State = new UserState();
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Keep the last mood across deactivation; frames were never stored, only this summary.
        if (state.State.Mood.HasReadings)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private UserProfile Profile() => new(this.GetPrimaryKeyString(), state.State.DisplayName, state.State.CurrentRoom);
}
