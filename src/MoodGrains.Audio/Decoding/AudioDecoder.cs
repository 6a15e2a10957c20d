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
        ], redirectStdout: true);
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
        var bytes = ReadCapped(process.StandardOutput.BaseStream, maxSamples * sizeof(float));
        process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        var error = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new AudioDecodeException($"Cannot decode '{path}': {ExternalTool.LastLines(error, 2)}");
        }

        var samples = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, bytes.Length - bytes.Length % sizeof(float))).ToArray();
        return samples.Length == 0
            ? throw new AudioDecodeException($"Cannot decode '{path}': it has no audio stream.")
            : new DecodedAudio(samples, sampleRate);
    }

    private static byte[] ReadCapped(Stream stream, long maxBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            // Past the cap the rest is drained and dropped, so ffmpeg is not blocked on a full pipe.
            var keep = (int)Math.Min(read, Math.Max(0, maxBytes - buffer.Length));
            buffer.Write(chunk, 0, keep);
        }

        return buffer.ToArray();
    }
}
