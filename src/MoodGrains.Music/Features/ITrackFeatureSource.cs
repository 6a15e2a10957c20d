namespace MoodGrains.Music.Features;

/// <summary>
/// Fills in features for tracks that have none: Spotify's audio-features endpoint is closed to new apps,
/// so imported CSVs are the only measured source and everything else must be estimated. Each source
/// records its values with its own <c>*_source</c> tag.
/// </summary>
public interface ITrackFeatureSource
{
    string Name { get; }

    /// <summary>Recomputes and stores what this source knows.</summary>
    Task<FeatureSourceRun> UpdateAsync(CancellationToken cancellationToken);
}

/// <param name="TracksConsidered">Tracks with any evidence.</param>
/// <param name="TracksWritten">Tracks whose catalogue features were written (confidence high enough, no stronger source).</param>
public sealed record FeatureSourceRun(string Source, int TracksConsidered, int TracksWritten);
