using MoodGrains.Abstractions.Users;

namespace MoodGrains.Grains.Users;

[GrainType("user")]
public sealed class UserGrain(
    [PersistentState("user", "users")] IPersistentState<UserState> state) : Grain, IUserGrain
{
    public Task<UserProfile> GetProfileAsync() => Task.FromResult(Profile());

    public async Task<UserProfile> SetDisplayNameAsync(string displayName)
    {
        state.State.DisplayName = DisplayName.Validate(displayName);
        await state.WriteStateAsync();
        return Profile();
    }

    public async Task SetCurrentRoomAsync(string? roomCode)
    {
        if (state.State.CurrentRoom == roomCode)
        {
            return;
        }

        state.State.CurrentRoom = roomCode;
        await state.WriteStateAsync();
    }

    private UserProfile Profile() => new(this.GetPrimaryKeyString(), state.State.DisplayName, state.State.CurrentRoom);
}
