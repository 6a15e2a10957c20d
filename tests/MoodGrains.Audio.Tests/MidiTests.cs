using System.Buffers.Binary;
using MoodGrains.Audio.Demo;

namespace MoodGrains.Audio.Tests;

public sealed class MidiTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(127, new byte[] { 0x7F })]
    [InlineData(128, new byte[] { 0x81, 0x00 })]
    [InlineData(8192, new byte[] { 0xC0, 0x00 })]
    [InlineData(0x0FFFFFFF, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    public void Variable_length_quantities_match_the_specification_examples(long value, byte[] expected) =>
        Assert.Equal(expected, MidiSequence.VariableLength(value));

    [Fact]
    public void A_composed_piece_is_a_well_formed_format_0_file_whose_notes_all_end()
    {
        var piece = DemoComposer.Compose(3, 12);
        var bytes = piece.Midi;

        Assert.Equal("MThd"u8.ToArray(), bytes[..4]);
        Assert.Equal(6, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)));
        Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(8)));
        Assert.Equal(1, BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(10)));
        Assert.Equal(480, BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(12)));
        Assert.Equal("MTrk"u8.ToArray(), bytes[14..18]);
        Assert.Equal(bytes.Length - 22, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(18)));

        var events = Parse(bytes.AsSpan(22));
        Assert.Equal(0xFF2F, events[^1].Kind);
        var tempo = Assert.Single(events, e => e.Kind == 0xFF51);
        Assert.Equal((int)Math.Round(60_000_000.0 / piece.TempoBpm), (tempo.Data[0] << 16) | (tempo.Data[1] << 8) | tempo.Data[2]);
        Assert.Contains(events, e => e.Kind == 0xC0);
        Assert.Contains(events, e => e.Kind == 0x99);
        var ons = events.Where(e => (e.Kind & 0xF0) == 0x90).Select(e => (e.Kind & 0x0F, e.Data[0])).ToList();
        var offs = events.Where(e => (e.Kind & 0xF0) == 0x80).Select(e => (e.Kind & 0x0F, e.Data[0])).ToList();
        Assert.NotEmpty(ons);
        Assert.Equal(ons.Order(), offs.Order());
        var seconds = events.Sum(e => e.Delta) / 480.0 * 60 / piece.TempoBpm;
        Assert.Equal(piece.DurationSeconds, seconds, 1);
    }

    [Fact]
    public void The_same_seed_writes_the_same_bytes_and_another_seed_does_not()
    {
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(DemoComposer.Compose(i, 12).Midi, DemoComposer.Compose(i, 12).Midi);
            Assert.NotEqual(DemoComposer.Compose(i, 12).Midi, DemoComposer.Compose(i, 13).Midi);
        }
    }

    [Fact]
    public void Every_piece_has_its_own_made_up_ensemble_and_naming_them_left_the_music_as_it_was()
    {
        var pieces = Enumerable.Range(0, 192).Select(i => DemoComposer.Compose(i, 12)).ToList();
        Assert.Equal(192, pieces.Select(p => p.Artist).Distinct().Count());
        Assert.All(pieces.Where(p => p.Region == MoodRegion.SadLow), p => Assert.EndsWith(" Quartet", p.Artist, StringComparison.Ordinal));
        Assert.Equal(pieces[5].Artist, DemoComposer.Compose(5, 12).Artist);
        Assert.NotEqual(pieces.Take(40).Select(p => p.Artist), Enumerable.Range(0, 40).Select(i => DemoComposer.Compose(i, 13).Artist));

        // The MIDI of the default library as it was rendered before pieces had artists: an existing library is reused.
        var bytes = pieces.Take(4).SelectMany(p => p.Midi).ToArray();
        Assert.Equal("bd24ebea6e5600bc9991559b7d7a560860d4e934c98e31a02676b3c7221409fc", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [Fact]
    public void Pieces_take_turns_over_the_four_regions_with_their_mode_and_tempo_range()
    {
        var pieces = Enumerable.Range(0, 40).Select(i => DemoComposer.Compose(i, 12)).ToList();

        Assert.All(pieces.GroupBy(p => p.Region), g => Assert.Equal(10, g.Count()));
        Assert.All(pieces, p =>
        {
            var (mode, low, high) = p.Region switch
            {
                MoodRegion.HappyEnergetic => (Analysis.KeyMode.Major, 100, 160),
                MoodRegion.CalmContent => (Analysis.KeyMode.Major, 60, 90),
                MoodRegion.SadLow => (Analysis.KeyMode.Minor, 60, 90),
                _ => (Analysis.KeyMode.Minor, 120, 180),
            };
            Assert.Equal(mode, p.Mode);
            Assert.InRange(p.TempoBpm, low, high);
            Assert.InRange(p.DurationSeconds, 40, 95);
        });
    }

    /// <summary>A minimal reader of the track chunk: running status is not used by the writer, so none is handled.</summary>
    private static List<(long Delta, int Kind, byte[] Data)> Parse(ReadOnlySpan<byte> track)
    {
        var events = new List<(long, int, byte[])>();
        var i = 0;
        while (i < track.Length)
        {
            long delta = 0;
            byte b;
            do
            {
                b = track[i++];
                delta = (delta << 7) | (uint)(b & 0x7F);
            }
            while ((b & 0x80) != 0);

            var status = track[i++];
            if (status == 0xFF)
            {
                var type = track[i++];
                var length = track[i++];
                events.Add((delta, 0xFF00 | type, track.Slice(i, length).ToArray()));
                i += length;
            }
            else
            {
                Assert.True(status >= 0x80, "every event carries its status byte");
                var length = (status & 0xF0) is 0xC0 or 0xD0 ? 1 : 2;
                events.Add((delta, status, track.Slice(i, length).ToArray()));
                i += length;
            }
        }

        return events;
    }
}
