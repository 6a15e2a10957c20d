using Microsoft.Extensions.Options;
using MoodGrains.Abstractions.Rooms;
using Orleans.Concurrency;

namespace MoodGrains.Grains.Rooms;

/// <summary>
/// Catalogue search beside the room rather than inside it: the room only answers an interleaved membership check,
/// and the query (an indexed lookup in PostgreSQL) runs here. Not reentrant, so each silo runs at most one search
/// per worker at a time: a flood queues here instead of taking the database's connections from the rooms.
/// </summary>
[StatelessWorker]
[GrainType("track-search")]
public sealed class TrackSearchGrain(ITrackCatalog catalog, IOptions<RoomLimitOptions> limits) : Grain, ITrackSearchGrain
{
    public async Task<IReadOnlyList<TrackInfo>> SearchAsync(string roomCode, string userId, string query)
    {
        var text = RoomQueue.ValidateSearch(query);
        await GrainFactory.GetGrain<IRoomGrain>(roomCode).EnsureMemberAsync(userId);
        return await catalog.SearchAsync(text, limits.Value.SearchResults, CancellationToken.None);
    }
}
