using System.Diagnostics;
using MoodGrains.Mood;
using MoodGrains.Recommendations.Collaborative;
using MoodGrains.Recommendations.Content;
using MoodGrains.Recommendations.Mood;

namespace MoodGrains.Recommendations.Serving;

public sealed record RecommenderTrainingOptions
{
    public ImplicitAlsOptions Als { get; init; } = new();

    /// <summary>Neighbours kept per track for "because you play X" explanations.</summary>
    public ItemKnnOptions Neighbours { get; init; } = new() { Neighbours = 50, Shrink = 10 };

    /// <summary>Plays from listeners whose mood confidence is below this do not train the mood embeddings.</summary>
    public float MinMoodConfidence { get; init; } = 0.2f;

    /// <summary>Tracks without audio features get a mood point learned from their listeners once they have this many confident plays.</summary>
    public int MinPlaysForLearnedMood { get; init; } = 3;

    public void Validate()
    {
        Als.Validate();
        if (MinMoodConfidence is < 0 or > 1 || MinPlaysForLearnedMood < 1)
        {
            throw new ArgumentException("MinMoodConfidence must be in [0, 1] and MinPlaysForLearnedMood positive.");
        }
    }
}

/// <summary>
/// An immutable, versioned, trained model: everything <see cref="Hybrid.HybridRecommender"/> needs to answer a request
/// without touching the database. Replaced wholesale by each retrain.
/// </summary>
public sealed class RecommenderSnapshot
{
    private readonly Dictionary<long, int> _trackIndex;
    private readonly Dictionary<string, int> _userIndex;
    private readonly string[] _userIds;

    private RecommenderSnapshot(
        string version, DateTimeOffset trainedAt, TimeSpan trainingTime, CatalogTrack[] tracks, Dictionary<string, int> userIndex,
        ImplicitAlsModel als, MoodContextEmbeddings moods, float[] popularity, MoodPoint?[] trackMoods, ItemKnnModel neighbours,
        InteractionMatrix history, int[] artistOfTrack, string[] artists)
    {
        Version = version;
        TrainedAt = trainedAt;
        TrainingTime = trainingTime;
        Tracks = tracks;
        _userIndex = userIndex;
        _userIds = userIndex.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
        Als = als;
        Moods = moods;
        Popularity = popularity;
        TrackMoods = trackMoods;
        Neighbours = neighbours;
        History = history;
        ArtistOfTrack = artistOfTrack;
        Artists = artists;
        _trackIndex = new Dictionary<long, int>(tracks.Length);
        for (var i = 0; i < tracks.Length; i++)
        {
            _trackIndex[tracks[i].TrackId] = i;
        }
    }

    public string Version { get; }

    public DateTimeOffset TrainedAt { get; }

    public TimeSpan TrainingTime { get; }

    public IReadOnlyList<CatalogTrack> Tracks { get; }

    public int Users => _userIndex.Count;

    public int Factors => Als.Factors;

    /// <summary>The id of the user with dense index <paramref name="user"/> (0 .. Users - 1), for benchmarks and diagnostics.</summary>
    public string UserIdAt(int user) => _userIds[user];

    internal ImplicitAlsModel Als { get; }

    internal MoodContextEmbeddings Moods { get; }

    /// <summary>0..1 per track: log(1 + listeners), or the catalogue's 0..100 popularity for tracks nobody played yet.</summary>
    internal float[] Popularity { get; }

    internal MoodPoint?[] TrackMoods { get; }

    internal ItemKnnModel Neighbours { get; }

    internal InteractionMatrix History { get; }

    internal int[] ArtistOfTrack { get; }

    internal string[] Artists { get; }

    internal bool TryGetUser(string userId, out int user) => _userIndex.TryGetValue(userId, out user);

    internal bool TryGetTrack(long trackId, out int item) => _trackIndex.TryGetValue(trackId, out item);

    /// <summary>The track's mood point (from audio features, else learned from listeners' moods), if any.</summary>
    public MoodPoint? MoodOf(long trackId) => _trackIndex.TryGetValue(trackId, out var i) ? TrackMoods[i] : null;

    public static RecommenderSnapshot Train(
        IReadOnlyList<CatalogTrack> catalog, IEnumerable<PlayEvent> plays, RecommenderTrainingOptions? options = null,
        ContentMoodMap? contentMap = null, DateTimeOffset? now = null)
    {
        options ??= new RecommenderTrainingOptions();
        options.Validate();
        contentMap ??= ContentMoodMap.Default;
        var watch = Stopwatch.StartNew();

        var tracks = catalog.DistinctBy(t => t.TrackId).ToArray();
        var trackIndex = new Dictionary<long, int>(tracks.Length);
        for (var i = 0; i < tracks.Length; i++)
        {
            trackIndex[tracks[i].TrackId] = i;
        }

        var userIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var interactions = new List<Interaction>();
        var byMood = Enumerable.Range(0, MoodLabels.Count).Select(_ => new Dictionary<int, float>()).ToArray();
        var learned = new (double Valence, double Arousal, double Weight, int Count)[tracks.Length];
        foreach (var play in plays)
        {
            if (!trackIndex.TryGetValue(play.TrackId, out var item) || !(play.Strength > 0))
            {
                continue;
            }

            if (!userIndex.TryGetValue(play.UserId, out var user))
            {
                user = userIndex.Count;
                userIndex[play.UserId] = user;
            }

            interactions.Add(new Interaction(user, item, play.Strength));
            if (play.MoodConfidence >= options.MinMoodConfidence)
            {
                var region = byMood[(int)MoodLabels.Nearest(play.Mood)];
                region[item] = region.GetValueOrDefault(item) + (play.Strength * play.MoodConfidence);
                ref var l = ref learned[item];
                l = (l.Valence + (play.Mood.Valence * play.MoodConfidence), l.Arousal + (play.Mood.Arousal * play.MoodConfidence), l.Weight + play.MoodConfidence, l.Count + 1);
            }
        }

        var history = InteractionMatrix.Build(userIndex.Count, tracks.Length, interactions);
        var als = ImplicitAlsModel.Train(history, options.Als);
        var moods = MoodContextEmbeddings.Train(als, byMood, options.Als);
        var neighbours = ItemKnnModel.Train(history, options.Neighbours);

        var popularity = PopularityModel.Train(history).Prior.ToArray();
        var trackMoods = new MoodPoint?[tracks.Length];
        var artistIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var artistOfTrack = new int[tracks.Length];
        for (var i = 0; i < tracks.Length; i++)
        {
            if (popularity[i] == 0 && tracks[i].Popularity is { } catalogPopularity)
            {
                // Nobody here has played it yet: fall back to the provider's popularity, scaled below any played track.
                popularity[i] = 0.5f * Math.Clamp(catalogPopularity / 100f, 0f, 1f);
            }

            trackMoods[i] = contentMap.Predict(tracks[i].Features);
            if (trackMoods[i] is null && learned[i].Count >= options.MinPlaysForLearnedMood && learned[i].Weight > 0)
            {
                trackMoods[i] = new MoodPoint((float)(learned[i].Valence / learned[i].Weight), (float)(learned[i].Arousal / learned[i].Weight));
            }

            if (!artistIds.TryGetValue(tracks[i].Artist, out var artist))
            {
                artist = artistIds.Count;
                artistIds[tracks[i].Artist] = artist;
            }

            artistOfTrack[i] = artist;
        }

        var artists = artistIds.OrderBy(p => p.Value).Select(p => p.Key).ToArray();
        var trainedAt = now ?? DateTimeOffset.UtcNow;
        var version = $"{trainedAt:yyyyMMdd'T'HHmmss'Z'}-u{userIndex.Count}-t{tracks.Length}-p{history.NonZeros}";
        return new RecommenderSnapshot(version, trainedAt, watch.Elapsed, tracks, userIndex, als, moods, popularity, trackMoods,
            neighbours, history, artistOfTrack, artists);
    }
}
