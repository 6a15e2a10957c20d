using MoodGrains.Audio.Decoding;

namespace MoodGrains.Audio.Tests;

/// <summary>Synthetic signals with a known answer, made in the test rather than stored.</summary>
internal static class TestSignals
{
    public const int Rate = AudioDecoder.DefaultSampleRate;

    /// <summary>Short decaying 1 kHz clicks at <paramref name="bpm"/>, every fourth one accented.</summary>
    public static DecodedAudio ClickTrack(double bpm, double seconds)
    {
        var samples = new float[(int)(seconds * Rate)];
        var period = 60.0 / bpm;
        var clickLength = (int)(0.03 * Rate);
        for (var beat = 0; beat * period < seconds; beat++)
        {
            var start = (int)Math.Round(beat * period * Rate);
            var gain = beat % 4 == 0 ? 0.8f : 0.5f;
            for (var i = 0; i < clickLength && start + i < samples.Length; i++)
            {
                samples[start + i] += gain * MathF.Exp(-i / (0.005f * Rate)) * MathF.Sin(2 * MathF.PI * 1000 * i / Rate);
            }
        }

        return new DecodedAudio(samples, Rate);
    }

    /// <summary>
    /// Triads as harmonic tones (fundamental and five overtones falling as 1/n, as a string or reed has them), each
    /// chord a bar of <paramref name="secondsPerChord"/> with a bass note an octave under its root.
    /// </summary>
    /// <param name="chords">MIDI keys of each chord, root first.</param>
    public static DecodedAudio Progression(int[][] chords, double secondsPerChord, int repeats)
    {
        var chordSamples = (int)(secondsPerChord * Rate);
        var samples = new float[chordSamples * chords.Length * repeats];
        for (var r = 0; r < repeats; r++)
        {
            for (var c = 0; c < chords.Length; c++)
            {
                var offset = (r * chords.Length + c) * chordSamples;
                var keys = chords[c].Append(chords[c][0] - 12).ToArray();
                foreach (var key in keys)
                {
                    var f0 = 440 * Math.Pow(2, (key - 69) / 12.0);
                    for (var i = 0; i < chordSamples; i++)
                    {
                        var t = i / (double)Rate;
                        var envelope = Math.Exp(-1.5 * t) * Math.Min(1, t / 0.01);
                        double value = 0;
                        for (var h = 1; h <= 6; h++)
                        {
                            value += Math.Sin(2 * Math.PI * f0 * h * t) / h;
                        }

                        samples[offset + i] += (float)(0.08 * envelope * value);
                    }
                }
            }
        }

        return new DecodedAudio(samples, Rate);
    }
}
