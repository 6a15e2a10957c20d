using System.Globalization;
using System.Text.RegularExpressions;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Catalog;

/// <summary>The CSV layouts the importer understands, told apart by their header.</summary>
public enum CatalogCsvLayout
{
    /// <summary>Detect from the header.</summary>
    Auto,

    /// <summary>Spotify tracks with a mood label: name, album, artist, id, length, ..., mood.</summary>
    Moods,

    /// <summary>Spotify playlist exports with audio features: track_id, track_name, track_artist, duration_ms, playlist_genre, ...</summary>
    Playlist,

    /// <summary>Our own demo catalogue: title, artist, duration_ms, tags and editorial estimates.</summary>
    Demo,
}

/// <summary>One data row: either a track to upsert or the reason it was rejected.</summary>
public sealed record CatalogCsvRow(int Line, CatalogTrackInput? Track, string? Rejection);

/// <summary>Maps rows of a known layout to <see cref="CatalogTrackInput"/>, validating every value it uses.</summary>
public sealed partial class CatalogCsvFormat
{
    private readonly Dictionary<string, int> _columns;
    private readonly string _title;
    private readonly string _artist;
    private readonly string? _spotifyId;
    private readonly string _duration;
    private readonly string? _album;
    private readonly string? _popularity;
    private readonly string? _genre;
    private readonly string[] _tagColumns;
    private readonly FeatureSource _source;

    private CatalogCsvFormat(CatalogCsvLayout layout, string[] header)
    {
        Layout = layout;
        _columns = header.Select((name, i) => (name: name.Trim().ToLowerInvariant(), i))
            .GroupBy(x => x.name).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        (_title, _artist, _spotifyId, _duration, _album, _popularity, _genre, _tagColumns, _source) = layout switch
        {
            CatalogCsvLayout.Moods => ("name", "artist", (string?)"id", "length", (string?)"album", (string?)"popularity", (string?)null, new[] { "mood" }, FeatureSource.Imported),
            CatalogCsvLayout.Playlist => ("track_name", "track_artist", "track_id", "duration_ms", "track_album_name", "track_popularity", "playlist_genre",
                new[] { "playlist_subgenre" }, FeatureSource.Imported),
            CatalogCsvLayout.Demo => ("title", "artist", "spotify_id", "duration_ms", "album", null, "genre", new[] { "tags" }, FeatureSource.Editorial),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, null),
        };
        var missing = new[] { _title, _artist, _duration }.Where(c => !_columns.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            throw new FormatException($"The header lacks the column(s) {string.Join(", ", missing)} needed for the {layout} layout.");
        }
    }

    public CatalogCsvLayout Layout { get; }

    public int ColumnCount => _columns.Count == 0 ? 0 : _columns.Values.Max() + 1;

    /// <summary>Picks the layout for a header (or checks the one asked for); throws FormatException with the reason.</summary>
    public static CatalogCsvFormat Create(string[] header, CatalogCsvLayout layout = CatalogCsvLayout.Auto)
    {
        if (layout != CatalogCsvLayout.Auto)
        {
            return new CatalogCsvFormat(layout, header);
        }

        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        if (names.Contains("track_name") && names.Contains("track_artist"))
        {
            return new CatalogCsvFormat(CatalogCsvLayout.Playlist, header);
        }

        if (names.Contains("name") && names.Contains("artist") && names.Contains("length"))
        {
            return new CatalogCsvFormat(CatalogCsvLayout.Moods, header);
        }

        if (names.Contains("title") && names.Contains("artist") && names.Contains("duration_ms"))
        {
            return new CatalogCsvFormat(CatalogCsvLayout.Demo, header);
        }

        throw new FormatException(
            "Unknown CSV layout: expected a Spotify playlist export (track_name, track_artist, ...), a mood-labelled track list " +
            "(name, artist, length, ...), or the demo layout (title, artist, duration_ms, ...).");
    }

    public CatalogCsvRow Parse(int line, string[] fields)
    {
        if (fields.Length != ColumnCount)
        {
            return Reject(line, $"has {fields.Length} fields, the header has {ColumnCount}");
        }

        var title = Get(fields, _title);
        if (string.IsNullOrWhiteSpace(title))
        {
            return Reject(line, $"empty title ({_title})");
        }

        var artists = SplitArtists(Get(fields, _artist));
        if (artists.Length == 0)
        {
            return Reject(line, $"empty artist ({_artist})");
        }

        var spotifyId = _spotifyId is null ? null : NullIfEmpty(Get(fields, _spotifyId));
        if (spotifyId is not null && !SpotifyIdPattern().IsMatch(spotifyId))
        {
            return Reject(line, $"'{spotifyId}' is not a Spotify track id (22 letters and digits)");
        }

        if (!TryInt(Get(fields, _duration), out var duration) || duration <= 0)
        {
            return Reject(line, $"duration '{Get(fields, _duration)}' is not a positive number of milliseconds ({_duration})");
        }

        float? popularity = null;
        if (_popularity is not null && NullIfEmpty(Get(fields, _popularity)) is { } popularityText)
        {
            if (!TryFloat(popularityText, out var p) || p is < 0 or > 100)
            {
                return Reject(line, $"popularity '{popularityText}' is not between 0 and 100");
            }

            popularity = p;
        }

        var values = new float?[5];
        string[] unit = ["valence", "energy", "danceability", "acousticness"];
        for (var i = 0; i < unit.Length; i++)
        {
            if (!TryOptional(fields, unit[i], 0, 1, out values[i], out var error))
            {
                return Reject(line, error!);
            }
        }

        if (!TryOptional(fields, "tempo", float.Epsilon, 400, out values[4], out var tempoError))
        {
            return Reject(line, tempoError!);
        }

        var tags = _tagColumns.Where(_columns.ContainsKey)
            .SelectMany(c => Get(fields, c).Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        var genres = _genre is not null && _columns.ContainsKey(_genre) && NullIfEmpty(Get(fields, _genre)) is { } genre
            ? new[] { genre.Trim().ToLowerInvariant() }
            : [];

        var track = new CatalogTrackInput(
            spotifyId,
            title.Trim(),
            artists,
            duration,
            new CatalogFeatures(values[0], values[1], values[2], values[3], values[4]),
            _source,
            Album: _album is null || !_columns.ContainsKey(_album) ? null : NullIfEmpty(Get(fields, _album)?.Trim()),
            Popularity: popularity,
            Genres: genres,
            Tags: tags);
        return new CatalogCsvRow(line, track, null);
    }

    /// <summary>
    /// Playlist exports join several artists with ", ". A few names contain that sequence themselves
    /// ("Tyler, The Creator"); a piece starting with "The " is glued back to the one before.
    /// </summary>
    internal static string[] SplitArtists(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var parts = new List<string>();
        foreach (var piece in text.Split(", ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (parts.Count > 0 && piece.StartsWith("The ", StringComparison.Ordinal))
            {
                parts[^1] += ", " + piece;
            }
            else
            {
                parts.Add(piece);
            }
        }

        return [.. parts];
    }

    private bool TryOptional(string[] fields, string column, float min, float max, out float? value, out string? error)
    {
        value = null;
        error = null;
        if (!_columns.ContainsKey(column) || NullIfEmpty(Get(fields, column)) is not { } text)
        {
            return true;
        }

        if (!TryFloat(text, out var parsed) || parsed < min || parsed > max)
        {
            error = $"{column} '{text}' is not a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}";
            return false;
        }

        value = parsed;
        return true;
    }

    private string Get(string[] fields, string column) => _columns.TryGetValue(column, out var i) && i < fields.Length ? fields[i] : "";

    private static CatalogCsvRow Reject(int line, string reason) => new(line, null, reason);

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool TryInt(string text, out int value)
    {
        // Some exports write integers as floats ("251668.0").
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= int.MinValue and <= int.MaxValue
            && Math.Abs(d - Math.Round(d)) < 1e-6)
        {
            value = (int)Math.Round(d);
            return true;
        }

        value = 0;
        return false;
    }

    private static bool TryFloat(string text, out float value)
    {
        var ok = float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
        return ok;
    }

    [GeneratedRegex("^[0-9A-Za-z]{22}$")]
    private static partial Regex SpotifyIdPattern();
}
