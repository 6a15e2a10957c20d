using MoodGrains.Audio.Analysis;

namespace MoodGrains.Audio.Demo;

/// <summary>The four quadrants of the valence/arousal circumplex that the demo pieces are composed for.</summary>
public enum MoodRegion
{
    HappyEnergetic,
    CalmContent,
    SadLow,
    TenseAngry,
}

/// <summary>One composed piece: its Standard MIDI File and what it was composed to be (the ground truth).</summary>
public sealed record DemoPiece(
    int Index, string Title, MoodRegion Region, int TempoBpm, int Tonic, KeyMode Mode, double DurationSeconds, MoodPosition Target, byte[] Midi)
{
    /// <summary>The made-up ensemble credited with the piece (<see cref="DemoArtists"/>); not written into the MIDI.</summary>
    public required string Artist { get; init; }

    public string Key => KeyEstimator.PitchNames[Tonic];
}

/// <summary>
/// Composes short instrumental pieces per mood region from the musical cues the literature ties to each quadrant
/// (Juslin and Laukka 2004; Gabrielsson and Lindström): mode for valence; tempo, loudness, articulation and
/// percussion for arousal. Happy/energetic: major, fast, bright instruments, full drum kit. Calm/content: major,
/// slow, soft sustained pads and a plucked arpeggio. Sad/low: minor, slow, soft strings and piano. Tense/angry:
/// minor (harmonic minor dominant), fast, loud distorted guitar and brass, driving kit. Everything is drawn from one
/// seeded generator, so the same seed writes the same bytes.
/// </summary>
public static class DemoComposer
{
    private const int Ticks = 480;
    private const int DrumChannel = 9;

    private static readonly int[] MajorScale = [0, 2, 4, 5, 7, 9, 11];
    private static readonly int[] MinorScale = [0, 2, 3, 5, 7, 8, 10];

    // Scale degrees (0 = tonic). Every progression starts on the tonic chord and the piece ends on it, so the key is
    // stated the way a listener would hear it; the minor ones lean on V with its raised leading tone.
    private static readonly int[][] MajorProgressions = [[0, 4, 5, 3], [0, 3, 4, 0], [0, 5, 3, 4], [0, 3, 0, 4]];
    private static readonly int[][] MinorProgressions = [[0, 3, 4, 0], [0, 5, 3, 4], [0, 6, 5, 4], [0, 3, 0, 4]];

    private sealed record Style(
        KeyMode Mode, int MinBpm, int MaxBpm, int[] Melody, int[] Chords, int[] Bass, int[] Pads, (int Min, int Max) Velocity,
        bool Drums, string Word, MoodPosition Target);

    private static readonly Dictionary<MoodRegion, Style> Styles = new()
    {
        [MoodRegion.HappyEnergetic] = new(KeyMode.Major, 112, 149, [56, 73, 12, 80, 13], [1, 25, 4], [33, 38], [], (88, 112), true,
            "Sunny", new(0.75f, 0.6f)),
        [MoodRegion.CalmContent] = new(KeyMode.Major, 64, 89, [73, 24, 71, 11], [46, 0, 24], [32], [89, 48, 91], (45, 70), false,
            "Still", new(0.6f, -0.6f)),
        [MoodRegion.SadLow] = new(KeyMode.Minor, 60, 81, [42, 68, 40, 0], [0, 46], [43, 32], [48, 49, 52], (40, 66), false,
            "Grey", new(-0.7f, -0.5f)),
        [MoodRegion.TenseAngry] = new(KeyMode.Minor, 126, 169, [30, 61, 81, 29], [61, 62, 48], [38, 34], [], (100, 127), true,
            "Storm", new(-0.6f, 0.75f)),
    };

    /// <summary>Piece <paramref name="index"/> of the library made from <paramref name="seed"/>; regions take turns.</summary>
    public static DemoPiece Compose(int index, int seed)
    {
        var random = new SplitMix(((ulong)(uint)seed << 32) ^ (ulong)(uint)index * 0x9E3779B9UL);
        var region = (MoodRegion)(index % 4);
        var style = Styles[region];
        var bpm = random.Int(style.MinBpm, style.MaxBpm + 1);
        var tonic = random.Int(0, 12);
        var scale = style.Mode == KeyMode.Major ? MajorScale : MinorScale;
        var progression = random.Pick(style.Mode == KeyMode.Major ? MajorProgressions : MinorProgressions);

        var targetSeconds = 45 + random.Double() * 30;
        // Whole four-bar phrases, rounded up so no piece falls under 45 s.
        var bars = Math.Max(8, (int)Math.Ceiling(targetSeconds * bpm / 240 / 4) * 4);

        var midi = new MidiSequence(Ticks);
        var title = $"{style.Word} {index / 4 + 1:00} ({KeyEstimator.PitchNames[tonic]} {style.Mode.ToString().ToLowerInvariant()})";
        midi.TrackName(title);
        midi.Tempo(0, bpm);
        midi.TimeSignature(0, 4, 2);
        midi.KeySignature(0, SharpsOf(tonic, style.Mode), style.Mode == KeyMode.Minor);
        var melodyProgram = random.Pick(style.Melody);
        var chordProgram = random.Pick(style.Chords);
        var bassProgram = random.Pick(style.Bass);
        midi.Program(0, 0, chordProgram);
        midi.Program(0, 1, melodyProgram);
        midi.Program(0, 2, bassProgram);
        if (style.Pads.Length > 0)
        {
            midi.Program(0, 3, random.Pick(style.Pads));
        }

        // Calm and sad pieces breathe: a little reverb; the fast ones stay dry and close.
        for (var channel = 0; channel < 4; channel++)
        {
            midi.Controller(0, channel, 91, region is MoodRegion.CalmContent or MoodRegion.SadLow ? 70 : 25);
        }

        var melodyPitch = 72 + tonic % 12;
        for (var bar = 0; bar < bars; bar++)
        {
            var last = bar == bars - 1;
            var degree = last ? 0 : progression[bar % progression.Length];
            var chord = Triad(tonic, scale, degree, style.Mode);
            long start = bar * 4L * Ticks;
            WriteHarmony(midi, region, chord, start, ref random, style, last);
            WriteBass(midi, region, chord[0], start, ref random, style, last);
            melodyPitch = WriteMelody(midi, region, tonic, scale, chord, degree, style.Mode, start, melodyPitch, ref random, style, last);
            if (style.Drums)
            {
                WriteDrums(midi, region, bar, start, ref random, style, last);
            }
        }

        var seconds = bars * 4 * 60.0 / bpm;
        return new DemoPiece(index, title, region, bpm, tonic, style.Mode, Math.Round(seconds, 2), style.Target, midi.ToBytes())
        {
            Artist = DemoArtists.For(index, seed, region),
        };
    }

    /// <summary>Pitch classes of the triad on <paramref name="degree"/>; in minor, V takes the raised leading tone (harmonic minor).</summary>
    private static int[] Triad(int tonic, int[] scale, int degree, KeyMode mode)
    {
        var notes = new int[3];
        for (var i = 0; i < 3; i++)
        {
            var step = degree + 2 * i;
            notes[i] = (tonic + scale[step % 7] + (mode == KeyMode.Minor && degree == 4 && i == 1 ? 1 : 0)) % 12;
        }

        return notes;
    }

    private static void WriteHarmony(MidiSequence midi, MoodRegion region, int[] chord, long start, ref SplitMix random, Style style, bool last)
    {
        var voicing = Voice(chord, 55);
        var velocity = random.Int(style.Velocity.Min, style.Velocity.Max + 1) - 12;
        if (last)
        {
            foreach (var key in voicing)
            {
                midi.Note(start, 4 * Ticks, 0, key, Math.Max(1, velocity));
            }

            return;
        }

        switch (region)
        {
            case MoodRegion.HappyEnergetic:
                // Block chords on every beat, accented on 1 and 3.
                for (var beat = 0; beat < 4; beat++)
                {
                    foreach (var key in voicing)
                    {
                        midi.Note(start + beat * Ticks, Ticks * 3 / 4, 0, key, Math.Clamp(velocity + (beat % 2 == 0 ? 8 : 0), 1, 127));
                    }
                }

                break;
            case MoodRegion.TenseAngry:
                // Full triads hammered in eighths: loud and percussive, with the minor third in them so the mode is
                // heard (power chords through distortion would leave it to the overtones, which favour major).
                for (var eighth = 0; eighth < 8; eighth++)
                {
                    foreach (var key in voicing)
                    {
                        midi.Note(start + eighth * Ticks / 2, Ticks / 2 - 30, 0, key, Math.Clamp(velocity + (eighth % 2 == 0 ? 10 : 0), 1, 127));
                    }
                }

                break;
            default:
                // Slow pieces: a sustained pad holds the chord, a plucked arpeggio marks each beat (quarters only, so
                // the pulse sits on the beat and not on an eighth-note level twice as fast).
                foreach (var key in voicing)
                {
                    midi.Note(start, 4 * Ticks - 20, 3, key, Math.Max(1, velocity - 10));
                }

                int[] pattern = [0, 1, 2, 1];
                var arpeggio = Voice(chord, 60);
                for (var beat = 0; beat < 4; beat++)
                {
                    midi.Note(start + beat * Ticks, Ticks, 0, arpeggio[pattern[beat]], Math.Clamp(velocity + (beat == 0 ? 10 : 0), 1, 127));
                }

                break;
        }
    }

    private static void WriteBass(MidiSequence midi, MoodRegion region, int root, long start, ref SplitMix random, Style style, bool last)
    {
        var key = 36 + root;
        var velocity = random.Int(style.Velocity.Min, style.Velocity.Max + 1);
        if (last)
        {
            midi.Note(start, 4 * Ticks, 2, key, velocity);
            return;
        }

        switch (region)
        {
            case MoodRegion.HappyEnergetic:
                // Root and fifth on the beats.
                for (var beat = 0; beat < 4; beat++)
                {
                    midi.Note(start + beat * Ticks, Ticks * 3 / 4, 2, beat % 2 == 0 ? key : key + 7, velocity);
                }

                break;
            case MoodRegion.TenseAngry:
                for (var eighth = 0; eighth < 8; eighth++)
                {
                    midi.Note(start + eighth * Ticks / 2, Ticks / 2 - 20, 2, key, Math.Clamp(velocity - (eighth % 2 == 1 ? 15 : 0), 1, 127));
                }

                break;
            default:
                midi.Note(start, 2 * Ticks, 2, key, velocity);
                midi.Note(start + 2 * Ticks, 2 * Ticks, 2, key + 7 > 47 ? key - 5 : key + 7, velocity - 8);
                break;
        }
    }

    /// <summary>
    /// A stepwise melody over the scale: a chord tone on each bar's downbeat, neighbouring scale steps between, with
    /// rhythms by region (quarters and halves when slow, eighths and quarters when fast).
    /// </summary>
    private static int WriteMelody(
        MidiSequence midi, MoodRegion region, int tonic, int[] scale, int[] chord, int degree, KeyMode mode, long start, int pitch,
        ref SplitMix random, Style style, bool last)
    {
        var velocity = random.Int(style.Velocity.Min, style.Velocity.Max + 1);
        if (last)
        {
            var home = Nearest(pitch, tonic, 64, 86);
            midi.Note(start, 4 * Ticks, 1, home, velocity);
            return home;
        }

        var fast = region is MoodRegion.HappyEnergetic or MoodRegion.TenseAngry;
        int[] durations = fast ? [Ticks / 2, Ticks / 2, Ticks] : [Ticks, Ticks, 2 * Ticks];
        long position = 0;
        var raisedSeventh = mode == KeyMode.Minor && degree == 4;
        while (position < 4 * Ticks)
        {
            var duration = Math.Min(random.Pick(durations), 4 * Ticks - position);
            if (position == 0)
            {
                pitch = Nearest(pitch, random.Pick(chord), 64, 86);
            }
            else
            {
                pitch = Step(pitch, tonic, scale, random.Int(-2, 3), raisedSeventh);
            }

            // Slow pieces keep a rest now and then; fast ones drive on.
            if (fast || random.Double() > 0.15)
            {
                midi.Note(start + position, duration - 10, 1, pitch, Math.Clamp(velocity + (position == 0 ? 8 : 0), 1, 127));
            }

            position += duration;
        }

        return pitch;
    }

    private static void WriteDrums(MidiSequence midi, MoodRegion region, int bar, long start, ref SplitMix random, Style style, bool last)
    {
        var velocity = random.Int(style.Velocity.Min, style.Velocity.Max + 1);
        if (bar % 4 == 0 || last)
        {
            midi.Note(start, Ticks, DrumChannel, 49, Math.Min(127, velocity + 5));
        }

        if (last)
        {
            midi.Note(start, Ticks, DrumChannel, 36, velocity);
            return;
        }

        for (var beat = 0; beat < 4; beat++)
        {
            var t = start + beat * Ticks;
            var kick = region == MoodRegion.TenseAngry || beat % 2 == 0;
            if (kick)
            {
                midi.Note(t, Ticks / 4, DrumChannel, 36, velocity);
            }

            if (beat % 2 == 1)
            {
                midi.Note(t, Ticks / 4, DrumChannel, 38, velocity);
            }

            midi.Note(t, Ticks / 4, DrumChannel, 42, Math.Max(1, velocity - 20));
            midi.Note(t + Ticks / 2, Ticks / 4, DrumChannel, 42, Math.Max(1, velocity - 40));
        }
    }

    private static int[] Voice(int[] chord, int floor) =>
        chord.Select(pc => floor + (pc - floor % 12 + 24) % 12).Order().ToArray();

    /// <summary>The key of pitch class <paramref name="pitchClass"/> nearest to <paramref name="from"/> inside the range.</summary>
    private static int Nearest(int from, int pitchClass, int low, int high)
    {
        var best = -1;
        for (var key = low; key <= high; key++)
        {
            if (key % 12 == pitchClass && (best < 0 || Math.Abs(key - from) < Math.Abs(best - from)))
            {
                best = key;
            }
        }

        return best;
    }

    /// <summary>Moves <paramref name="steps"/> scale steps from <paramref name="pitch"/>, kept inside 64..86.</summary>
    private static int Step(int pitch, int tonic, int[] scale, int steps, bool raisedSeventh)
    {
        var inScale = Enumerable.Range(60, 30)
            .Where(k => scale.Contains((k - tonic + 12) % 12) && !(raisedSeventh && (k - tonic + 12) % 12 == scale[6]))
            .Concat(raisedSeventh ? Enumerable.Range(60, 30).Where(k => (k - tonic + 12) % 12 == 11) : [])
            .Order()
            .ToArray();
        var index = Array.BinarySearch(inScale, pitch);
        if (index < 0)
        {
            index = ~index;
        }

        var next = Math.Clamp(index + steps, 0, inScale.Length - 1);
        var key = inScale[next];
        return key < 64 ? inScale[Math.Min(next + 2, inScale.Length - 1)] : key > 86 ? inScale[Math.Max(next - 2, 0)] : key;
    }

    /// <summary>Sharps (positive) or flats (negative) of the key signature, for the MIDI key-signature event.</summary>
    private static int SharpsOf(int tonic, KeyMode mode)
    {
        var major = mode == KeyMode.Major ? tonic : (tonic + 3) % 12;
        int[] sharps = [0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5];
        return sharps[major];
    }
}
