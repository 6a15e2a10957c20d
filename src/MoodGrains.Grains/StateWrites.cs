using System.Text.Json;
using MoodGrains.Abstractions.Rooms;

namespace MoodGrains.Grains;

/// <summary>
/// Grains change their state in memory and then write it. When the write fails the change must not take effect
/// anyway (it would be seen by the next call and written by the next successful write), so the saved state is read
/// back; if even that fails the activation is dropped and the next call starts from storage. A write that did land
/// and only lost its answer (the database went away just after) reads back as the state that was written: that is a
/// success, and the caller goes on as after any write.
/// </summary>
public static class StateWrites
{
    public static async Task WriteOrRevertAsync<T>(this IPersistentState<T> state, Action deactivate)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            var attempted = Content(state.State);
            try
            {
                await state.ReadStateAsync();
            }
            catch (Exception)
            {
                deactivate();
                throw new StateNotSavedException(e);
            }

            if (attempted is null || attempted != Content(state.State))
            {
                throw new StateNotSavedException(e);
            }
        }
    }

    /// <summary>The state's content as JSON, to tell whether what was read back is what was written; null if it has no JSON form.</summary>
    private static string? Content<T>(T value)
    {
        try
        {
            return JsonSerializer.Serialize(value);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>The ids of the latest commands a grain applied, newest last, at most <see cref="OperationIds.Remembered"/>.</summary>
public static class OperationLog
{
    public static bool Contains(List<string> recent, string? operation) => operation is not null && recent.Contains(operation);

    public static void Remember(List<string> recent, string operation)
    {
        if (recent.Contains(operation))
        {
            return;
        }

        recent.Add(operation);
        if (recent.Count > OperationIds.Remembered)
        {
            recent.RemoveRange(0, recent.Count - OperationIds.Remembered);
        }
    }
}
