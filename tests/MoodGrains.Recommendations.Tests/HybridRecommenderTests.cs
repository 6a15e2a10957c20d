using MoodGrains.Mood;
using MoodGrains.Recommendations.Content;
using MoodGrains.Recommendations.Hybrid;
using MoodGrains.Recommendations.Mood;
using MoodGrains.Recommendations.Serving;

namespace MoodGrains.Recommendations.Tests;

public sealed class HybridRecommenderTests
{
    private static readonly MoodPoint Happy = MoodLabels.PositionOf(MoodLabel.Happy);

    /// <summary>
    /// 60 tracks by 30 artists (two each); "rock" fans play tracks 0-19, "jazz" fans 40-59; everyone plays 20-39 a little.
    /// Half the catalogue has happy audio features, a quarter sad, a quarter none. Every third track is on Spotify.
    /// </summary>
    private static RecommenderSnapshot Build()
    {
        var catalog = Enumerable.Range(0, 60).Select(i => new CatalogTrack(1000 + i, $"artist {i / 2}", (i % 4) switch
        {
            0 or 1 => new TrackFeatures(0.9f, 0.8f, 0.7f, 0.1f, 125),
            2 => new TrackFeatures(0.1f, 0.2f, 0.3f, 0.9f, 80),
            _ => TrackFeatures.None,
        }, 50, OnSpotify: i % 3 == 0)).ToArray();
        var random = new Random(11);
        var plays = new List<PlayEvent>();
        for (var u = 0; u < 40; u++)
        {
            var user = u < 20 ? $"rock{u}" : $"jazz{u}";
            var home = u < 20 ? 0 : 40;
            for (var i = 0; i < 20; i++)
            {
                if (random.NextDouble() < 0.6)
                {
                    plays.Add(new PlayEvent(user, 1000 + home + i, 1 + random.Next(5), Happy, 0.9f));
                }

                if (random.NextDouble() < 0.3)
                {
                    plays.Add(new PlayEvent(user, 1020 + i, 1, Happy, 0.9f));
                }
            }
        }

        return RecommenderSnapshot.Train(catalog, plays, new RecommenderTrainingOptions
        {
            Als = new() { Factors = 8, Alpha = 5, Regularization = 5, Iterations = 10 },
        });
    }

    private static readonly RecommenderSnapshot Snapshot = Build();

    [Fact]
    public void Never_returns_a_track_in_the_freshness_window()
    {
        var recommender = new HybridRecommender(Snapshot, new HybridOptions { MaxPerArtist = 2 });
        var first = recommender.Recommend(new RecommendationRequest([new Listener("rock1")], Happy, 10));
        Assert.Equal(10, first.Count);
        var window = first.Select(r => r.TrackId).ToHashSet();
        var second = recommender.Recommend(new RecommendationRequest([new Listener("rock1")], Happy, 10) { RecentlyPlayed = window });
        Assert.Empty(second.Select(r => r.TrackId).Intersect(window));

        // A window covering all but five tracks leaves exactly those five.
        var almostAll = Snapshot.Tracks.Select(t => t.TrackId).Skip(5).ToHashSet();
        var rest = recommender.Recommend(new RecommendationRequest([new Listener("jazz30"), new Listener("rock2")], Happy, 10) { RecentlyPlayed = almostAll });
        Assert.Equal(Snapshot.Tracks.Take(5).Select(t => t.TrackId).Order(), rest.Select(r => r.TrackId).Order());
    }

    [Theory]
    [InlineData(GroupAggregation.Average)]
    [InlineData(GroupAggregation.Fair)]
    [InlineData(GroupAggregation.LeastMisery)]
    public void A_group_with_nothing_left_to_hear_gets_an_empty_list(GroupAggregation rule)
    {
        var recommender = new HybridRecommender(Snapshot, new HybridOptions { MaxPerArtist = 2 });
        var group = new RecommendationRequest([new Listener("rock1"), new Listener("jazz25")], Happy, 10) { Aggregation = rule };

        Assert.Empty(recommender.Recommend(group with { RecentlyPlayed = Snapshot.Tracks.Select(t => t.TrackId).ToHashSet() }));
        Assert.Empty(recommender.Recommend(group with { Playable = new PlayableSources(new HashSet<long>(), SpotifyFollowed: false) }));
    }

    [Fact]
    public void Respects_the_artist_cap()
    {
        var list = new HybridRecommender(Snapshot, new HybridOptions { MaxPerArtist = 1 })
            .Recommend(new RecommendationRequest([new Listener("rock1")], Happy, 15));
        Assert.Equal(list.Count, list.Select(r => r.Artist).Distinct().Count());
    }

    [Theory]
    [InlineData(GroupAggregation.Average)]
    [InlineData(GroupAggregation.Fair)]
    public void The_artist_cap_gives_way_to_diversity_when_the_candidates_cannot_meet_it(GroupAggregation rule)
    {
        var recommender = new HybridRecommender(Snapshot, new HybridOptions { MaxPerArtist = 1 });
        var room = new RecommendationRequest([new Listener("rock1"), new Listener("jazz25")], Happy, 40) { Aggregation = rule };

        // 30 artists cannot fill 40 slots one track each: the list is still full, every artist comes once before any
        // comes twice, and the capped part is exactly what the cap alone would have chosen.
        var list = recommender.Recommend(room);
        Assert.Equal(40, list.Count);
        Assert.Equal(30, list.Take(30).Select(r => r.Artist).Distinct().Count());
        Assert.All(list.GroupBy(r => r.Artist), g => Assert.InRange(g.Count(), 1, 2));
        Assert.Equal(recommender.Recommend(room with { Count = 30 }).Select(r => r.TrackId), list.Take(30).Select(r => r.TrackId));

        // Five playable tracks by three artists: all five come back, two artists' second tracks last.
        var five = Snapshot.Tracks.Take(5).Select(t => t.TrackId).ToHashSet();
        var few = recommender.Recommend(room with { Count = 10, Playable = new PlayableSources(five, SpotifyFollowed: false) });
        Assert.Equal(five.Order(), few.Select(r => r.TrackId).Order());
        Assert.Equal(3, few.Take(3).Select(r => r.Artist).Distinct().Count());
    }

    [Fact]
    public void Recommends_only_tracks_the_room_can_hear()
    {
        var recommender = new HybridRecommender(Snapshot, new HybridOptions { MaxPerArtist = 2 });
        var library = Snapshot.Tracks.Where(t => t.TrackId % 5 == 0).Select(t => t.TrackId).ToHashSet();
        var onSpotify = Snapshot.Tracks.Where(t => t.OnSpotify).Select(t => t.TrackId).ToHashSet();
        var room = new RecommendationRequest([new Listener("rock1")], Happy, 15);

        // Nobody follows on Spotify: library tracks only, as many as asked for while the library lasts.
        var libraryOnly = recommender.Recommend(room with { Playable = new PlayableSources(library, SpotifyFollowed: false) });
        Assert.Equal(12, libraryOnly.Count);
        Assert.All(libraryOnly, r => Assert.Contains(r.TrackId, library));

        // With a Spotify follower, Spotify tracks join the pool, and the unfiltered favourites that are on neither stay out.
        var withSpotify = recommender.Recommend(room with { Playable = new PlayableSources(library, SpotifyFollowed: true) });
        Assert.Equal(15, withSpotify.Count);
        Assert.All(withSpotify, r => Assert.True(library.Contains(r.TrackId) || onSpotify.Contains(r.TrackId)));
        Assert.Contains(withSpotify, r => !library.Contains(r.TrackId));
        Assert.Contains(recommender.Recommend(room), r => !library.Contains(r.TrackId) && !onSpotify.Contains(r.TrackId));
    }

    [Fact]
    public void A_fan_gets_their_own_side_of_the_catalogue()
    {
        var list = new HybridRecommender(Snapshot, new HybridOptions { MoodWeight = 0, PopularityWeight = 0, MaxPerArtist = 2 })
            .Recommend(new RecommendationRequest([new Listener("rock3")], Happy, 5));
        Assert.All(list, r => Assert.InRange(r.TrackId, 1000, 1039));
    }

    [Fact]
    public void Least_misery_ranks_by_the_unhappiest_member()
    {
        var recommender = new HybridRecommender(Snapshot, new HybridOptions { MaxPerArtist = 2 });
        var room = new RecommendationRequest([new Listener("rock1"), new Listener("jazz25")], Happy, 8) { Aggregation = GroupAggregation.LeastMisery };
        var list = recommender.Recommend(room);
        float Misery(long track) => Math.Min(recommender.ScoreFor("rock1", track, Happy), recommender.ScoreFor("jazz25", track, Happy));

        Assert.Equal(8, list.Count);
        for (var n = 0; n < list.Count; n++)
        {
            Assert.Equal(Misery(list[n].TrackId), list[n].Score, 4);
        }

        Assert.True(list.Zip(list.Skip(1)).All(p => p.First.Score >= p.Second.Score - 1e-6f));

        // Its top pick leaves the unhappiest member better off than the top pick of the plain average does.
        var average = recommender.Recommend(room with { Aggregation = GroupAggregation.Average });
        Assert.True(Misery(list[0].TrackId) >= Misery(average[0].TrackId) - 1e-6f);
    }

    [Fact]
    public void Fair_aggregation_serves_both_sides_of_a_split_room()
    {
        var recommender = new HybridRecommender(Snapshot, new HybridOptions { MoodWeight = 0, PopularityWeight = 0, MaxPerArtist = 2 });
        var list = recommender.Recommend(new RecommendationRequest([new Listener("rock1"), new Listener("jazz25")], Happy, 10) { Aggregation = GroupAggregation.Fair });
        Assert.Contains(list, r => r.TrackId is >= 1000 and < 1020);
        Assert.Contains(list, r => r.TrackId >= 1040);
    }

    [Fact]
    public void Unknown_listeners_get_content_and_popularity()
    {
        var list = new HybridRecommender(Snapshot).Recommend(new RecommendationRequest([new Listener("newcomer")], Happy, 5));
        Assert.Equal(5, list.Count);
        Assert.All(list, r => Assert.Equal(0f, r.Terms.Collaborative));

        // Happy target: every pick is closer to it in mood space than any sad-sounding track (i % 4 == 2).
        var closestSad = Snapshot.Tracks.Where(t => (t.TrackId - 1000) % 4 == 2).Min(t => Snapshot.MoodOf(t.TrackId)!.Value.DistanceTo(Happy));
        Assert.All(list, r => Assert.True(Snapshot.MoodOf(r.TrackId)!.Value.DistanceTo(Happy) < closestSad));
    }

    [Fact]
    public void Every_recommendation_explains_itself_from_real_terms()
    {
        var list = new HybridRecommender(Snapshot).Recommend(new RecommendationRequest([new Listener("rock1"), new Listener("rock2", Presence: 0.5f)], Happy, 10));
        Assert.All(list, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
        Assert.Contains(list, r => r.Reason.Contains("of you play artist", StringComparison.Ordinal) && r.Terms.MembersWhoPlayArtist > 0);
        Assert.Contains(list, r => r.Reason.Contains("happy mood", StringComparison.Ordinal));
    }

    [Fact]
    public void Snapshot_is_versioned_and_learns_moods_for_featureless_tracks()
    {
        Assert.Contains("-u40-t60-", Snapshot.Version, StringComparison.Ordinal);
        Assert.NotNull(Snapshot.MoodOf(1003));
        Assert.Equal(Happy.Valence, Snapshot.MoodOf(1003)!.Value.Valence, 3);
    }
}
