using System.Globalization;
using System.Text;
using MoodGrains.Recommendations.Collaborative;

namespace MoodGrains.Training.Recommendations;

/// <summary>
/// HetRec 2011 Last.fm-2k: user_artists.dat (user, artist, play count) plus the users' free-text artist tags.
/// Users and artists are re-indexed densely in file order.
/// </summary>
public sealed class LastFmDataset
{
    private LastFmDataset(InteractionMatrix plays, int[] userIds, int[] artistIds, Dictionary<int, int> artistIndex, string directory)
    {
        Plays = plays;
        UserIds = userIds;
        ArtistIds = artistIds;
        ArtistIndex = artistIndex;
        Directory = directory;
    }

    public InteractionMatrix Plays { get; }

    public IReadOnlyList<int> UserIds { get; }

    public IReadOnlyList<int> ArtistIds { get; }

    public IReadOnlyDictionary<int, int> ArtistIndex { get; }

    public string Directory { get; }

    public static LastFmDataset Load(string directory)
    {
        var path = Path.Combine(directory, "user_artists.dat");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"user_artists.dat was not found in {directory}.", path);
        }

        var userIndex = new Dictionary<int, int>();
        var artistIndex = new Dictionary<int, int>();
        var rows = new List<(int User, int Artist, float Plays)>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3)
            {
                continue;
            }

            var user = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var artist = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var plays = float.Parse(parts[2], CultureInfo.InvariantCulture);
            if (!userIndex.ContainsKey(user))
            {
                userIndex[user] = userIndex.Count;
            }

            if (!artistIndex.ContainsKey(artist))
            {
                artistIndex[artist] = artistIndex.Count;
            }

            rows.Add((userIndex[user], artistIndex[artist], plays));
        }

        var matrix = InteractionMatrix.Build(userIndex.Count, artistIndex.Count, rows.Select(r => new Interaction(r.User, r.Artist, r.Plays)));
        return new LastFmDataset(
            matrix,
            userIndex.OrderBy(p => p.Value).Select(p => p.Key).ToArray(),
            artistIndex.OrderBy(p => p.Value).Select(p => p.Key).ToArray(),
            artistIndex,
            directory);
    }

    /// <summary>Artist names by dense index (artists.dat, UTF-8).</summary>
    public string[] LoadArtistNames()
    {
        var names = new string[ArtistIds.Count];
        foreach (var line in File.ReadLines(Path.Combine(Directory, "artists.dat")).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var id) && ArtistIndex.TryGetValue(id, out var index))
            {
                names[index] = parts[1];
            }
        }

        return names;
    }

    /// <summary>
    /// For each artist (dense index), how many tag assignments fall in each mood, using <paramref name="moodOfTag"/>
    /// on tags.dat names (Latin-1 encoded).
    /// </summary>
    public float[,] LoadMoodTagCounts(Func<string, int?> moodOfTag, int moods)
    {
        var tagMood = new Dictionary<int, int>();
        foreach (var line in File.ReadLines(Path.Combine(Directory, "tags.dat"), Encoding.Latin1).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var id) && moodOfTag(parts[1]) is { } mood)
            {
                tagMood[id] = mood;
            }
        }

        var counts = new float[ArtistIds.Count, moods];
        foreach (var line in File.ReadLines(Path.Combine(Directory, "user_taggedartists.dat")).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 3
                && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var artist)
                && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var tag)
                && ArtistIndex.TryGetValue(artist, out var index)
                && tagMood.TryGetValue(tag, out var mood))
            {
                counts[index, mood]++;
            }
        }

        return counts;
    }
}
