namespace MoodGrains.Storage.Catalog;

/// <summary>Where a feature value came from; stored as text in the <c>*_source</c> columns.</summary>
public enum FeatureSource
{
    /// <summary>Inferred from listeners' moods; the weakest evidence.</summary>
    Learned,

    /// <summary>Hand estimates written for the demo catalogue.</summary>
    Editorial,

    /// <summary>Measured from the file's own audio by MoodGrains.Audio (library tracks); stronger than editorial, weaker than imported.</summary>
    Analysed,

    /// <summary>Measured by a provider and imported (e.g. Spotify's former audio features in a CSV).</summary>
    Imported,
}

/// <summary>
/// Audio features as the catalogue stores them, in Spotify's old scales (0..1, tempo in BPM); null means unknown.
/// The recommender's own view of them is <c>MoodGrains.Recommendations.Content.TrackFeatures</c>.
/// </summary>
public sealed record CatalogFeatures(float? Valence = null, float? Energy = null, float? Danceability = null, float? Acousticness = null, float? Tempo = null)
{
    public static CatalogFeatures None { get; } = new();
}

/// <summary>A track to add to or merge into the catalogue.</summary>
public sealed record CatalogTrackInput(
    string? SpotifyId,
    string Title,
    IReadOnlyList<string> Artists,
    int DurationMs,
    CatalogFeatures Features,
    FeatureSource Source,
    string? Album = null,
    float? Popularity = null,
    IReadOnlyList<string>? Genres = null,
    IReadOnlyList<string>? Tags = null,
    string? Isrc = null);

/// <summary>A catalogue row with the source of each feature.</summary>
public sealed record CatalogTrackRow(
    long TrackId,
    string? SpotifyId,
    string Title,
    IReadOnlyList<string> Artists,
    string? Album,
    int DurationMs,
    float? Popularity,
    IReadOnlyList<string> Genres,
    IReadOnlyList<string> Tags,
    CatalogFeatures Features,
    FeatureSources Sources,
    bool HasAudio = false);

public sealed record FeatureSources(
    FeatureSource? Valence, FeatureSource? Energy, FeatureSource? Danceability, FeatureSource? Acousticness, FeatureSource? Tempo, FeatureSource? Tags);

public enum UpsertOutcome
{
    Inserted,

    /// <summary>Merged into the row with the same Spotify id, or the same title and first artist.</summary>
    Updated,

    /// <summary>Not stored: another track has the same title and first artist but a different Spotify id.</summary>
    Conflict,
}

/// <param name="TrackId">The row written, or for a conflict the row that blocked it.</param>
public sealed record UpsertResult(UpsertOutcome Outcome, long TrackId);
