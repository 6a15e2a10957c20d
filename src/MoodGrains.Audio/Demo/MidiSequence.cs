namespace MoodGrains.Audio.Demo;

/// <summary>
/// Builds a Standard MIDI File (format 0: one track holding every channel) from timed events. Written by hand because
/// the format is small and a library would be the only dependency of the demo generator: an "MThd" header, one "MTrk"
/// chunk, delta times as variable-length quantities, and meta events for tempo, time and key signature.
/// </summary>
public sealed class MidiSequence(int ticksPerQuarter = 480)
{
    private readonly List<(long Tick, int Order, int Sequence, byte[] Data)> _events = [];

    public int TicksPerQuarter { get; } = ticksPerQuarter;

    public void Tempo(long tick, double bpm)
    {
        var microsPerQuarter = (int)Math.Round(60_000_000 / bpm);
        Add(tick, 0, [0xFF, 0x51, 0x03, (byte)(microsPerQuarter >> 16), (byte)(microsPerQuarter >> 8), (byte)microsPerQuarter]);
    }

    public void TimeSignature(long tick, int numerator, int denominatorPowerOfTwo) =>
        Add(tick, 0, [0xFF, 0x58, 0x04, (byte)numerator, (byte)denominatorPowerOfTwo, 24, 8]);

    /// <param name="sharps">-7..7: flats negative.</param>
    public void KeySignature(long tick, int sharps, bool minor) =>
        Add(tick, 0, [0xFF, 0x59, 0x02, unchecked((byte)(sbyte)sharps), (byte)(minor ? 1 : 0)]);

    public void TrackName(string name)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(name);
        Add(0, 0, [0xFF, 0x03, .. VariableLength(text.Length), .. text]);
    }

    public void Program(long tick, int channel, int program) =>
        Add(tick, 1, [(byte)(0xC0 | channel), (byte)program]);

    public void Controller(long tick, int channel, int controller, int value) =>
        Add(tick, 1, [(byte)(0xB0 | channel), (byte)controller, (byte)value]);

    /// <summary>A note-on at <paramref name="tick"/> and its note-off <paramref name="duration"/> ticks later.</summary>
    public void Note(long tick, long duration, int channel, int key, int velocity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(duration);
        if (key is < 0 or > 127 || velocity is < 1 or > 127 || channel is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(key), "Key 0..127, velocity 1..127, channel 0..15.");
        }

        Add(tick, 3, [(byte)(0x90 | channel), (byte)key, (byte)velocity]);
        // A note-off sorts before a note-on at the same tick, so a repeated key is released before it is struck again.
        Add(tick + duration, 2, [(byte)(0x80 | channel), (byte)key, 0]);
    }

    public byte[] ToBytes()
    {
        var track = new List<byte>();
        long last = 0;
        foreach (var e in _events.OrderBy(e => e.Tick).ThenBy(e => e.Order).ThenBy(e => e.Sequence))
        {
            track.AddRange(VariableLength(e.Tick - last));
            track.AddRange(e.Data);
            last = e.Tick;
        }

        track.AddRange([0x00, 0xFF, 0x2F, 0x00]);

        var bytes = new List<byte>();
        bytes.AddRange("MThd"u8.ToArray());
        bytes.AddRange(BigEndian(6, 4));
        bytes.AddRange(BigEndian(0, 2));
        bytes.AddRange(BigEndian(1, 2));
        bytes.AddRange(BigEndian(TicksPerQuarter, 2));
        bytes.AddRange("MTrk"u8.ToArray());
        bytes.AddRange(BigEndian(track.Count, 4));
        bytes.AddRange(track);
        return [.. bytes];
    }

    /// <summary>MIDI's variable-length quantity: 7 bits a byte, most significant first, the high bit set on all but the last.</summary>
    internal static byte[] VariableLength(long value)
    {
        if (value is < 0 or > 0x0FFFFFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        var groups = new Stack<byte>();
        groups.Push((byte)(value & 0x7F));
        value >>= 7;
        while (value > 0)
        {
            groups.Push((byte)(0x80 | (value & 0x7F)));
            value >>= 7;
        }

        return [.. groups];
    }

    private void Add(long tick, int order, byte[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tick);
        _events.Add((tick, order, _events.Count, data));
    }

    private static byte[] BigEndian(int value, int bytes)
    {
        var result = new byte[bytes];
        for (var i = 0; i < bytes; i++)
        {
            result[bytes - 1 - i] = (byte)(value >> (8 * i));
        }

        return result;
    }
}
