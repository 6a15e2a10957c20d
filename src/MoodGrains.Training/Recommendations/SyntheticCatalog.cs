using MoodGrains.Mood;
using MoodGrains.Recommendations.Content;
using MoodGrains.Recommendations.Serving;

namespace MoodGrains.Training.Recommendations;

/// <summary>
/// A seeded catalogue and play log at production scale for latency benchmarks: Zipf-like track popularity,
/// users with a few favourite "genres" (contiguous track blocks), random audio features (10% missing) and moods.
/// </summary>
public static class SyntheticCatalog
{
    public static (CatalogTrack[] Tracks, List<PlayEvent> Plays) Create(int tracks, int users, int playsPerUser, int seed = 1)
    {
        var random = new Random(seed);
        var catalog = new CatalogTrack[tracks];
        for (var i = 0; i < tracks; i++)
        {
            var features = random.NextDouble() < 0.1
                ? TrackFeatures.None
                : new TrackFeatures((float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble(), 60 + (float)(random.NextDouble() * 120));
            catalog[i] = new CatalogTrack(i + 1, $"artist {i / 8}", features, (float)(random.NextDouble() * 100));
        }

        const int genres = 50;
        var genreSize = tracks / genres;
        var plays = new List<PlayEvent>(users * playsPerUser);
        for (var u = 0; u < users; u++)
        {
            var favourites = new[] { random.Next(genres), random.Next(genres), random.Next(genres) };
            for (var p = 0; p < playsPerUser; p++)
            {
                var genre = favourites[random.Next(favourites.Length)];

                // Zipf-like within the genre: low offsets are the genre's hits.
                var offset = (int)(genreSize * Math.Pow(random.NextDouble(), 3));
                var track = (genre * genreSize) + Math.Min(offset, genreSize - 1);
                var mood = new MoodPoint((float)((random.NextDouble() * 2) - 1), (float)((random.NextDouble() * 2) - 1));
                plays.Add(new PlayEvent($"u{u}", track + 1, 1, mood, (float)random.NextDouble()));
            }
        }

        return (catalog, plays);
    }
}
