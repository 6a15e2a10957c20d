using MoodGrains.Abstractions.Rooms;
using MoodGrains.Grains.Rooms;
using MoodGrains.Mood;
using MoodGrains.Recommendations.Hybrid;
using MoodGrains.Recommendations.Mood;
using MoodGrains.Server.Recommendations;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Server.Rooms;

/// <summary>
/// Serves rooms from the current trained <see cref="HybridRecommender"/>: the target is one iso-principle step from
/// the room's previous target toward the policy's goal, members count by their mood confidence, and the picks come
/// back as catalogue tracks with the recommender's own explanation.
/// </summary>
public sealed partial class HybridRoomRecommender(
    RecommenderHolder holder,
    TrackRepository tracks,
    LibraryRepository library,
    ILogger<HybridRoomRecommender> logger) : IRoomRecommender
{
    public async Task<RoomRecommendation> RecommendAsync(RoomRecommendationRequest request, CancellationToken cancellationToken)
    {
        var target = NextTarget(request);
        if (holder.Current is not { } recommender)
        {
            LogNotTrained(request.RoomCode);
            return new RoomRecommendation([], target);
        }

        var listeners = request.Members
            .Select(m => new Listener(m.UserId, Presence: 1f, MoodConfidence: m.Mood.Confidence))
            .ToList();
        // With a library, picks must be audible to someone: library tracks always, Spotify tracks only while a member
        // follows on Spotify. The recommender filters its candidates by these sources before ranking; the check on the
        // row below only guards against a model trained before the library or the catalogue last changed.
        var libraryIds = (await library.ListAsync(cancellationToken)).Select(f => f.TrackId).ToHashSet();
        var playable = libraryIds.Count > 0 ? new PlayableSources(libraryIds, request.AnyoneOnSpotify) : null;
        var picks = recommender.Recommend(new RecommendationRequest(listeners, target, request.Count)
        {
            RecentlyPlayed = request.RecentTrackIds.ToHashSet(),
            Playable = playable,
        });

        var result = new List<RecommendedTrack>(request.Count);
        foreach (var pick in picks)
        {
            if (await tracks.GetAsync(pick.TrackId, cancellationToken) is { } track
                && (playable is null || IsAudible(track, request.AnyoneOnSpotify)))
            {
                result.Add(new RecommendedTrack(PostgresTrackCatalog.ToInfo(track), pick.Reason));
            }
        }

        return new RoomRecommendation(result, target);
    }

    public static bool IsAudible(CatalogTrackRow track, bool anyoneOnSpotify) => track.HasAudio || (anyoneOnSpotify && track.SpotifyId is not null);

    private static MoodPoint NextTarget(RoomRecommendationRequest request)
    {
        var policy = request.Policy switch
        {
            MoodPolicy.Boost => MoodTargetPolicy.Boost,
            MoodPolicy.Calm => MoodTargetPolicy.Calm,
            _ => MoodTargetPolicy.Match,
        };
        return MoodTrajectory.StepFrom(policy, request.PreviousTarget, request.Mood.Point, request.Mood.Confidence);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomCode} asked for tracks before the first recommender training finished")]
    private partial void LogNotTrained(string roomCode);
}
