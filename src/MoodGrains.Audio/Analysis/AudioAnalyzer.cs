using System.Diagnostics;
using System.Numerics;
using MoodGrains.Audio.Decoding;

namespace MoodGrains.Audio.Analysis;

/// <summary>
/// From decoded audio to tempo, key, mode, loudness and the content map's five features, and through the map (given
/// as a delegate, so this library stays free of the recommender and its dependencies) to a valence/arousal position.
/// Two passes over the signal: a short STFT (about 93 ms, hop a quarter of that) for onsets, spectrum shape and
/// beat; a long one (about 370 ms) for chroma, whose low notes need the finer frequency resolution. Single-threaded
/// and allocation-light, so a scanner can run one per core.
/// </summary>
public sealed class AudioAnalyzer(Func<AudioFeatures, MoodPosition?>? moodMap = null)
{
    private const double ChromaLowHz = 60;
    private const double ChromaHighHz = 2200;
    private const double HighBandHz = 3000;

    /// <summary>Decodes <paramref name="path"/> with ffmpeg and analyses it; throws <see cref="AudioDecodeException"/> for an unreadable file.</summary>
    public AudioAnalysis Analyze(string path, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var audio = AudioDecoder.Decode(path, cancellationToken: cancellationToken);
        var decodeMs = watch.Elapsed.TotalMilliseconds;
        return Analyze(audio) with { DecodeMs = decodeMs };
    }

    public AudioAnalysis Analyze(DecodedAudio audio)
    {
        var watch = Stopwatch.StartNew();
        var samples = audio.Samples;
        var rate = audio.SampleRate;

        var (loudness, rms) = Loudness(samples, rate);
        var spectral = ShortPass(samples, rate);
        var (bpm, clarity) = TempoEstimator.Estimate(spectral.Onset, spectral.FramesPerSecond);
        var chroma = Chroma(samples, rate);
        var (tonic, mode, keyCorrelation, majorness) = KeyEstimator.Estimate(chroma);

        var features = Features(loudness, spectral, bpm, clarity, majorness);
        var mood = moodMap?.Invoke(features);
        return new AudioAnalysis(
            audio.DurationSeconds, bpm, Math.Round(clarity, 3), KeyEstimator.PitchNames[tonic], mode, Math.Round(keyCorrelation, 3),
            Math.Round(loudness, 2), Math.Round(rms, 2), features, mood, 0, watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Heuristics for Spotify's features, each built from what Spotify says the feature measures, scaled so typical
    /// commercial music spans most of 0..1.
    /// </summary>
    private static AudioFeatures Features(double loudnessDbfs, ShortPassResult spectral, double bpm, double clarity, double majorness)
    {
        // Brightness: spectral centroid from 500 Hz (dull) to 3 kHz (bright); energetic music is bright and noisy.
        var brightness = Clamp01((spectral.CentroidHz - 500) / 2500);
        // Energy: "perceptual intensity... dynamic range, perceived loudness, timbre, onset rate". Loudness weighs
        // most (-35 dBFS reads as 0, -8 as 1), then how many onsets a second (6/s is busy), then brightness.
        var loudTerm = Clamp01((loudnessDbfs + 35) / 27);
        var onsetTerm = Clamp01(spectral.OnsetsPerSecond / 6);
        var energy = Clamp01(0.5 * loudTerm + 0.25 * onsetTerm + 0.25 * brightness);
        // Danceability: "tempo, rhythm stability, beat strength, regularity": the beat's autocorrelation (a steady,
        // strong pulse) and how near the tempo is to the 100-130 BPM that dance music keeps to.
        var tempoFit = bpm <= 0 ? 0 : Math.Exp(-0.5 * Math.Pow((bpm - 118) / 28, 2));
        var danceability = Clamp01(0.1 + 0.6 * Clamp01(clarity / 0.6) + 0.3 * tempoFit);
        // Acousticness: acoustic recordings have little energy above 3 kHz and a low centroid; distorted guitars,
        // synths and drum kits fill the top band.
        var acousticness = Clamp01(1 - 0.5 * brightness - 0.5 * Clamp01(spectral.HighBandShare / 0.12));
        // Valence: "musical positiveness". Major mode reads as positive, minor as negative (the best major minus the
        // best minor key correlation, +-0.25 is clear); faster and brighter music reads as more positive.
        var modeTerm = Math.Clamp(majorness / 0.25, -1, 1);
        var tempoTerm = bpm <= 0 ? 0 : Math.Clamp((bpm - 100) / 60, -1, 1);
        var valence = Clamp01(0.45 + 0.3 * modeTerm + 0.12 * tempoTerm + 0.1 * (brightness - 0.5));
        return new AudioFeatures(Round(valence), Round(energy), Round(danceability), Round(acousticness), (float)Math.Round(bpm, 2));
    }

    private sealed record ShortPassResult(float[] Onset, double FramesPerSecond, double CentroidHz, double HighBandShare, double OnsetsPerSecond);

    /// <summary>Spectral flux of the log magnitude (the onset envelope), spectral centroid and the share above 3 kHz.</summary>
    private static ShortPassResult ShortPass(float[] samples, int rate)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)(rate * 0.09));
        var hop = size / 4;
        var fft = new Fft(size);
        var window = Hann(size);
        var bins = size / 2 + 1;
        var frames = FrameCount(samples.Length, size, hop);
        var onset = new float[frames];
        var frame = new float[size];
        var magnitudes = new float[bins];
        var previous = new float[bins];
        var current = new float[bins];
        var highBin = (int)(HighBandHz * size / rate);
        double centroidSum = 0, energySum = 0, highSum = 0;
        for (var f = 0; f < frames; f++)
        {
            Fill(samples, f * hop, window, frame);
            fft.Magnitudes(frame, magnitudes);
            double flux = 0, weighted = 0, energy = 0, high = 0;
            for (var k = 1; k < bins; k++)
            {
                var m = magnitudes[k];
                // log(1 + C|X|) compresses the dynamics so a quiet note's attack counts, not only the drums.
                current[k] = MathF.Log(1 + 10 * m);
                var rise = current[k] - previous[k];
                if (rise > 0)
                {
                    flux += rise;
                }

                var power = (double)m * m;
                energy += power;
                weighted += power * k;
                if (k >= highBin)
                {
                    high += power;
                }
            }

            onset[f] = f == 0 ? 0 : (float)flux;
            (previous, current) = (current, previous);
            centroidSum += weighted;
            energySum += energy;
            highSum += high;
        }

        var framesPerSecond = rate / (double)hop;
        var centroid = energySum > 0 ? centroidSum / energySum * rate / size : 0;
        var highShare = energySum > 0 ? highSum / energySum : 0;
        return new ShortPassResult(onset, framesPerSecond, centroid, highShare, OnsetRate(onset, framesPerSecond));
    }

    /// <summary>Peaks of the onset envelope that stand above the local mean by half the envelope's deviation, per second.</summary>
    private static double OnsetRate(float[] onset, double framesPerSecond)
    {
        if (onset.Length < 8)
        {
            return 0;
        }

        double mean = onset.Average(v => (double)v);
        var std = Math.Sqrt(onset.Average(v => (v - mean) * (v - mean)));
        var count = 0;
        for (var i = 3; i < onset.Length - 3; i++)
        {
            var v = onset[i];
            if (v > mean + 0.5 * std && v >= onset[i - 1] && v >= onset[i - 2] && v >= onset[i - 3] && v > onset[i + 1] && v > onset[i + 2] && v > onset[i + 3])
            {
                count++;
            }
        }

        return count / (onset.Length / framesPerSecond);
    }

    /// <summary>
    /// A 12-bin pitch-class profile: each bin between 60 Hz and 2.2 kHz adds its magnitude to its nearest semitone,
    /// weighted by how close it lies to that semitone's centre (leakage between semitones counts for little); every
    /// frame is normalised first, so a loud chorus does not outvote the rest of the piece.
    /// </summary>
    private static double[] Chroma(float[] samples, int rate)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)(rate * 0.3));
        var hop = size / 2;
        var fft = new Fft(size);
        var window = Hann(size);
        var low = Math.Max(1, (int)(ChromaLowHz * size / rate));
        var high = Math.Min(size / 2, (int)(ChromaHighHz * size / rate));
        var pitchClass = new int[high + 1];
        var weight = new float[high + 1];
        for (var k = low; k <= high; k++)
        {
            var midi = 69 + 12 * Math.Log2(k * (double)rate / size / 440);
            var nearest = Math.Round(midi);
            pitchClass[k] = (int)(((nearest % 12) + 12) % 12);
            weight[k] = (float)Math.Pow(Math.Cos(Math.PI * (midi - nearest)), 2);
        }

        var frames = FrameCount(samples.Length, size, hop);
        var frame = new float[size];
        var magnitudes = new float[size / 2 + 1];
        var frameChroma = new double[12];
        var total = new double[12];
        for (var f = 0; f < frames; f++)
        {
            Fill(samples, f * hop, window, frame);
            fft.Magnitudes(frame, magnitudes);
            Array.Clear(frameChroma);
            for (var k = low; k <= high; k++)
            {
                frameChroma[pitchClass[k]] += weight[k] * magnitudes[k];
            }

            var max = frameChroma.Max();
            if (max > 1e-3)
            {
                for (var c = 0; c < 12; c++)
                {
                    total[c] += frameChroma[c] / max;
                }
            }
        }

        return total;
    }

    /// <summary>
    /// Mean-square power over 400 ms blocks (100 ms apart), gated as BS.1770 gates (absolute -70 dB, then 10 dB under
    /// the ungated mean) so silences and fades do not pull the figure down; also the plain RMS.
    /// </summary>
    private static (double GatedDbfs, double RmsDbfs) Loudness(float[] samples, int rate)
    {
        double all = 0;
        foreach (var s in samples)
        {
            all += (double)s * s;
        }

        var rmsDb = ToDb(all / Math.Max(1, samples.Length));
        var block = (int)(0.4 * rate);
        var step = (int)(0.1 * rate);
        if (samples.Length < block)
        {
            return (rmsDb, rmsDb);
        }

        var powers = new List<double>();
        for (var start = 0; start + block <= samples.Length; start += step)
        {
            double sum = 0;
            for (var i = start; i < start + block; i++)
            {
                sum += (double)samples[i] * samples[i];
            }

            powers.Add(sum / block);
        }

        var loud = powers.Where(p => ToDb(p) > -70).ToList();
        if (loud.Count == 0)
        {
            return (rmsDb, rmsDb);
        }

        var relative = ToDb(loud.Average()) - 10;
        var gated = loud.Where(p => ToDb(p) > relative).ToList();
        return (ToDb(gated.Average()), rmsDb);
    }

    private static double ToDb(double meanSquare) => meanSquare > 1e-12 ? 10 * Math.Log10(meanSquare) : -120;

    private static int FrameCount(int length, int size, int hop) => length <= size ? 1 : 1 + (length - size) / hop;

    private static void Fill(float[] samples, int start, float[] window, float[] frame)
    {
        var count = Math.Clamp(samples.Length - start, 0, frame.Length);
        for (var i = 0; i < count; i++)
        {
            frame[i] = samples[start + i] * window[i];
        }

        Array.Clear(frame, count, frame.Length - count);
    }

    private static float[] Hann(int size)
    {
        var window = new float[size];
        for (var i = 0; i < size; i++)
        {
            window[i] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / size));
        }

        return window;
    }

    private static double Clamp01(double value) => Math.Clamp(value, 0, 1);

    private static float Round(double value) => (float)Math.Round(value, 3);
}
