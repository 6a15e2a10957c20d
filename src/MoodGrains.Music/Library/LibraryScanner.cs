using System.Security.Cryptography;
using MoodGrains.Audio.Analysis;
using MoodGrains.Audio.Decoding;
using MoodGrains.Audio.Demo;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Library;

/// <summary>One file a scan did not import, and why.</summary>
public sealed record SkippedFile(string RelativePath, string Reason);

/// <param name="Done">Audio files handled so far (symbolic links refused while walking are not counted).</param>
/// <param name="Total">Audio files found under the root.</param>
public readonly record struct LibraryScanProgress(int Done, int Total, string RelativePath);

/// <summary>What a scan did: every audio file found is counted exactly once in imported, updated, unchanged or skipped.</summary>
/// <param name="Ignored">Files that are not audio by their extension (manifest.json, MIDI, covers), not counted as found.</param>
/// <param name="Removed">Stored files no longer under the root; their tracks stop offering audio.</param>
public sealed record LibraryScanReport(
    string Root,
    int Found,
    int Imported,
    int Updated,
    int Unchanged,
    IReadOnlyList<SkippedFile> Skipped,
    int Ignored,
    int Removed,
    TimeSpan Elapsed);

/// <summary>
/// Imports a folder of the operator's own music into the catalogue: walks the root (never leaving it through a
/// symbolic link), reads tags and duration with TagLib#, falls back to the file name and to a demo library's
/// manifest.json, analyses the audio for features (<see cref="AudioAnalyzer"/>), fingerprints the bytes and upserts
/// through <see cref="LibraryRepository"/>. A file whose path, size and modification time are already stored is
/// left alone, so a re-scan of an unchanged library reads no audio. Used by <c>moodgrains library scan</c> and by the
/// server at start-up.
/// </summary>
public sealed class LibraryScanner(LibraryRepository library, AudioAnalyzer analyzer)
{
    public const string UnknownArtist = "Unknown artist";

    /// <summary>File extension to the format stored in <c>library_files.format</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Formats = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".mp3"] = "mp3",
        [".ogg"] = "ogg",
        [".oga"] = "ogg",
        [".opus"] = "opus",
        [".flac"] = "flac",
        [".m4a"] = "m4a",
        [".wav"] = "wav",
    };

    private readonly LibraryRepository _library = library;
    private readonly AudioAnalyzer _analyzer = analyzer;

    /// <summary>The HTTP content type of a stored format.</summary>
    public static string ContentType(string format) => format switch
    {
        "ogg" or "opus" => "audio/ogg",
        "mp3" => "audio/mpeg",
        "flac" => "audio/flac",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    };

    /// <summary>
    /// The full path of a library-relative path, or null when it would leave the root (through "..", an absolute
    /// path or a symbolic link resolving elsewhere). The server checks every file it streams with this.
    /// </summary>
    public static string? ResolveInside(string root, string relativePath)
    {
        var fullRoot = RealPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, relativePath));
        if (!IsUnder(fullRoot, full))
        {
            return null;
        }

        var real = RealPath(full);
        return IsUnder(fullRoot, real) ? full : null;
    }

    public async Task<LibraryScanReport> ScanAsync(string root, IProgress<LibraryScanProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The library folder {root} does not exist.");
        }

        var fullRoot = RealPath(root);
        var skipped = new List<SkippedFile>();
        var (audio, ignored) = Walk(fullRoot, skipped);
        var stored = (await _library.ListAsync(cancellationToken)).ToDictionary(r => r.RelativePath, StringComparer.Ordinal);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var manifests = new Dictionary<string, IReadOnlyDictionary<string, DemoTrack>>(StringComparer.Ordinal);
        var present = new List<string>();
        int imported = 0, updated = 0, unchanged = 0, done = 0;
        foreach (var path in audio)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Relative(fullRoot, path);
            progress?.Report(new LibraryScanProgress(done, audio.Count, relative));
            done++;
            var info = new FileInfo(path);
            if (stored.TryGetValue(relative, out var row) && row.SizeBytes == info.Length && SameTime(row.ModifiedAt, info.LastWriteTimeUtc))
            {
                unchanged++;
                present.Add(relative);
                seen.TryAdd(row.Fingerprint, relative);
                continue;
            }

            string fingerprint;
            try
            {
                fingerprint = await FingerprintAsync(path, cancellationToken);
            }
            catch (IOException e)
            {
                skipped.Add(new SkippedFile(relative, "cannot read: " + e.Message));
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                skipped.Add(new SkippedFile(relative, "permission denied"));
                continue;
            }

            if (seen.TryGetValue(fingerprint, out var first))
            {
                skipped.Add(new SkippedFile(relative, $"duplicate of {first} (same bytes)"));
                continue;
            }

            var input = await ReadAsync(path, relative, fingerprint, info, manifests, cancellationToken);
            if (input.Reason is { } reason)
            {
                skipped.Add(new SkippedFile(relative, reason));
                continue;
            }

            var result = await _library.UpsertAsync(input.Track!, cancellationToken);
            switch (result.Outcome)
            {
                case LibraryUpsertOutcome.Inserted:
                    imported++;
                    break;
                case LibraryUpsertOutcome.Updated:
                    updated++;
                    break;
                default:
                    skipped.Add(new SkippedFile(relative, $"duplicate: track {result.TrackId} with the same title and artist already has a file"));
                    continue;
            }

            seen[fingerprint] = relative;
            present.Add(relative);
        }

        progress?.Report(new LibraryScanProgress(audio.Count, audio.Count, ""));
        var removed = await _library.RemoveMissingAsync(present, cancellationToken);
        return new LibraryScanReport(fullRoot, audio.Count, imported, updated, unchanged, skipped, ignored, removed, started.Elapsed);
    }

    private async Task<(LibraryTrackInput? Track, string? Reason)> ReadAsync(
        string path, string relative, string fingerprint, FileInfo info,
        Dictionary<string, IReadOnlyDictionary<string, DemoTrack>> manifests, CancellationToken cancellationToken)
    {
        string? title = null, album = null;
        string[] artists = [];
        var durationMs = 0;
        try
        {
            using var tags = TagLib.File.Create(path);
            title = NullIfBlank(tags.Tag.Title);
            album = NullIfBlank(tags.Tag.Album);
            artists = [.. tags.Tag.Performers.Concat(tags.Tag.AlbumArtists).Select(NullIfBlank).OfType<string>().Distinct()];
            durationMs = (int)tags.Properties.Duration.TotalMilliseconds;
        }
        catch (Exception e) when (e is TagLib.CorruptFileException or TagLib.UnsupportedFormatException or IOException or ArgumentException)
        {
            // TagLib# gives up on some valid files it does not know; only an undecodable file is refused (below).
            if (e is TagLib.CorruptFileException)
            {
                return (null, "unreadable: " + e.Message.TrimEnd('.'));
            }
        }

        AudioAnalysis analysis;
        try
        {
            // A thread of its own (LongRunning), not a pool thread: the decode blocks for seconds reading ffmpeg, which
            // runs at the lowest priority, and on a server's first start the pool is busy with members' frames.
            analysis = await Task.Factory.StartNew(() => _analyzer.Analyze(path, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (AudioDecodeException e)
        {
            return (null, "cannot decode: " + e.Message.TrimEnd('.'));
        }

        if (analysis.DurationSeconds < 1)
        {
            return (null, "no audio (shorter than one second)");
        }

        var tagsFromManifest = new List<string>();
        var directory = Path.GetDirectoryName(path)!;
        if (!manifests.TryGetValue(directory, out var manifest))
        {
            manifest = ReadManifest(directory);
            manifests[directory] = manifest;
        }

        if (manifest.TryGetValue(Path.GetFileName(path), out var demo))
        {
            title ??= demo.Title;
            if (artists.Length == 0)
            {
                artists = [demo.Artist];
            }

            // The mood the piece was composed for is ground truth; the features stay the analyser's measurements.
            tagsFromManifest.Add("demo");
            tagsFromManifest.Add(demo.Region);
        }

        title ??= Path.GetFileNameWithoutExtension(path);
        if (artists.Length == 0)
        {
            artists = [UnknownArtist];
        }

        if (durationMs <= 0)
        {
            durationMs = (int)(analysis.DurationSeconds * 1000);
        }

        return (new LibraryTrackInput(
            relative, fingerprint, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), Formats[info.Extension],
            title, artists, Math.Max(durationMs, 1), ToCatalog(analysis.Features),
            album, tagsFromManifest), null);
    }

    /// <summary>The catalogue's scales; a tempo of 0 means no beat was found (a drone, a test tone) and is stored as unknown.</summary>
    internal static CatalogFeatures ToCatalog(AudioFeatures f) => new(
        Math.Clamp(f.Valence, 0, 1), Math.Clamp(f.Energy, 0, 1), Math.Clamp(f.Danceability, 0, 1), Math.Clamp(f.Acousticness, 0, 1),
        f.Tempo > 0 ? f.Tempo : null);

    private static IReadOnlyDictionary<string, DemoTrack> ReadManifest(string directory)
    {
        try
        {
            return (DemoLibrary.ReadManifest(directory) ?? []).ToDictionary(t => t.File, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or ArgumentException)
        {
            return new Dictionary<string, DemoTrack>();
        }
    }

    /// <summary>
    /// SHA-256 of the whole file rather than of its first and last MiB: a partial hash cannot tell two edits of the
    /// same recording apart, and the full read is paid only for new or changed files, which are decoded in full anyway.
    /// </summary>
    public static async Task<string> FingerprintAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>Audio files in a stable order; links leaving the root and unfollowed directory links go to <paramref name="skipped"/>.</summary>
    private static (List<string> Audio, int Ignored) Walk(string root, List<SkippedFile> skipped)
    {
        var audio = new List<string>();
        var ignored = 0;
        var pending = new Stack<string>([root]);
        var options = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0, RecurseSubdirectories = false };
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var isAudio = Formats.ContainsKey(entry.Extension);
                if (entry.LinkTarget is not null)
                {
                    var target = entry.ResolveLinkTarget(returnFinalTarget: true);
                    if (target is null || !target.Exists)
                    {
                        skipped.Add(new SkippedFile(Relative(root, entry.FullName), "broken symbolic link"));
                        continue;
                    }

                    if (!IsUnder(root, RealPath(target.FullName)))
                    {
                        skipped.Add(new SkippedFile(Relative(root, entry.FullName), "outside the library (symbolic link)"));
                        continue;
                    }

                    if (target is DirectoryInfo)
                    {
                        // Its target is inside the root, so it is scanned there; following it could loop.
                        continue;
                    }
                }

                if (entry is DirectoryInfo)
                {
                    pending.Push(entry.FullName);
                }
                else if (isAudio)
                {
                    audio.Add(entry.FullName);
                }
                else
                {
                    ignored++;
                }
            }
        }

        audio.Sort(StringComparer.Ordinal);
        return (audio, ignored);
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static bool IsUnder(string root, string path) =>
        path.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link along it resolved (the file need not exist).</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = Path.GetPathRoot(full)!;
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = RealPath(target.FullName);
            }
        }

        return current;
    }

    // PostgreSQL keeps microseconds; the file system may keep more.
    private static bool SameTime(DateTimeOffset stored, DateTime file) => Math.Abs((stored.UtcDateTime - file).TotalMilliseconds) < 1;

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
