using System.Runtime.InteropServices;

namespace MoodGrains.Audio.Decoding;

/// <summary>Mono float PCM, as analysis wants it.</summary>
public sealed record DecodedAudio(float[] Samples, int SampleRate)
{
    public double DurationSeconds => Samples.Length / (double)SampleRate;
}

/// <summary>A file ffmpeg could not read as audio; the message names the file and ffmpeg's reason.</summary>
public sealed class AudioDecodeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Decodes anything ffmpeg reads (MP3, Ogg/Opus, FLAC, M4A, WAV, ...) to mono 32-bit float PCM at a fixed rate by
/// running Debian's ffmpeg with its output on a pipe. A process rather than bindings: ffmpeg's own demuxers and
/// decoders cover every format an operator's folder may hold, and a crash on a hostile file stays in that process.
/// Decoding is always work that may wait (a library scan, an analysis), so ffmpeg runs at the lowest CPU priority.
/// </summary>
public static class AudioDecoder
{
    /// <summary>The analysis rate: everything of interest for tempo, key and loudness lies below 11 kHz.</summary>
    public const int DefaultSampleRate = 22050;

    /// <summary>Longer input is cut here, so a 3-hour mix or an endless stream cannot exhaust memory.</summary>
    public const double DefaultMaxSeconds = 900;

    public static DecodedAudio Decode(string path, int sampleRate = DefaultSampleRate, double maxSeconds = DefaultMaxSeconds, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new AudioDecodeException($"Cannot decode '{path}': the file does not exist.");
        }

        var maxSamples = (long)Math.Ceiling(maxSeconds * sampleRate);
        using var process = ExternalTool.Start("ffmpeg", "ffmpeg",
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-threads", "1",
            "-i", path, "-vn", "-t", maxSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-f", "f32le", "-ac", "1", "-ar", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "pipe:1",
        ], redirectStdout: true, lowestPriority: true);
        using var registration = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        });

        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var samples = ReadCapped(process.StandardOutput.BaseStream, maxSamples * sizeof(float));
        process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        var error = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new AudioDecodeException($"Cannot decode '{path}': {ExternalTool.LastLines(error, 2)}");
        }

        return samples.Length == 0
            ? throw new AudioDecodeException($"Cannot decode '{path}': it has no audio stream.")
            : new DecodedAudio(samples, sampleRate);
    }

    /// <summary>
    /// Reads the pipe in 1 MiB chunks and joins them once at the end: no growing buffer copied over and over, and
    /// past the cap the rest is drained and dropped, so ffmpeg is never left blocked on a full pipe.
    /// </summary>
    private static float[] ReadCapped(Stream stream, long maxBytes)
    {
        const int ChunkBytes = 1 << 20;
        var chunks = new List<byte[]>();
        var chunk = new byte[ChunkBytes];
        var filled = 0;
        long total = 0;
        int read;
        while ((read = stream.Read(chunk, filled, ChunkBytes - filled)) > 0)
        {
            var keep = (int)Math.Min(read, Math.Max(0, maxBytes - total));
            total += keep;
            filled += keep;
            if (filled == ChunkBytes)
            {
                chunks.Add(chunk);
                chunk = new byte[ChunkBytes];
                filled = 0;
            }
            else if (keep < read)
            {
                // Over the cap: keep reading into a scratch position without counting it.
                filled = Math.Min(filled, ChunkBytes - 1);
            }
        }

        var samples = new float[total / sizeof(float)];
        var bytes = MemoryMarshal.AsBytes(samples.AsSpan());
        var offset = 0;
        foreach (var full in chunks)
        {
            var n = Math.Min(full.Length, bytes.Length - offset);
            full.AsSpan(0, n).CopyTo(bytes[offset..]);
            offset += n;
        }

        chunk.AsSpan(0, Math.Min(filled, bytes.Length - offset)).CopyTo(bytes[offset..]);
        return samples;
    }
}
