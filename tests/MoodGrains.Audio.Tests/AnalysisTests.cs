using MoodGrains.Audio.Analysis;
using MoodGrains.Audio.Decoding;

namespace MoodGrains.Audio.Tests;

public sealed class AnalysisTests
{
    private readonly AudioAnalyzer _analyzer = new();

    [Theory]
    [InlineData(72)]
    [InlineData(100)]
    [InlineData(128)]
    [InlineData(165)]
    public void Click_track_tempo_is_found_within_2_percent(double bpm)
    {
        var result = _analyzer.Analyze(TestSignals.ClickTrack(bpm, 30));

        Assert.InRange(result.TempoBpm, bpm * 0.98, bpm * 1.02);
    }

    [Fact]
    public void Major_progression_in_C_reads_as_C_major()
    {
        // C - F - G - C, close position around middle C.
        int[][] chords = [[60, 64, 67], [65, 69, 72], [67, 71, 74], [60, 64, 67]];

        var result = _analyzer.Analyze(TestSignals.Progression(chords, 1.0, 4));

        Assert.Equal(KeyMode.Major, result.Mode);
        Assert.Equal("C", result.Key);
    }

    [Fact]
    public void Minor_progression_in_A_reads_as_A_minor()
    {
        // Am - Dm - E (harmonic minor's major dominant) - Am.
        int[][] chords = [[57, 60, 64], [62, 65, 69], [64, 68, 71], [57, 60, 64]];

        var result = _analyzer.Analyze(TestSignals.Progression(chords, 1.0, 4));

        Assert.Equal(KeyMode.Minor, result.Mode);
        Assert.Equal("A", result.Key);
    }

    [Fact]
    public void Features_stay_in_range_and_the_mood_map_is_called_with_them()
    {
        AudioFeatures? seen = null;
        var analyzer = new AudioAnalyzer(f =>
        {
            seen = f;
            return new MoodPosition(0.5f, -0.25f);
        });

        var result = analyzer.Analyze(TestSignals.ClickTrack(120, 20));

        Assert.Same(result.Features, seen);
        Assert.Equal(new MoodPosition(0.5f, -0.25f), result.Mood);
        foreach (var value in new[] { result.Features.Valence, result.Features.Energy, result.Features.Danceability, result.Features.Acousticness })
        {
            Assert.InRange(value, 0f, 1f);
        }

        Assert.Equal(20, result.DurationSeconds, 2);
        Assert.InRange(result.LoudnessDbfs, -60, 0);
    }

    [Fact]
    public void A_louder_busier_signal_has_more_energy()
    {
        var quiet = TestSignals.ClickTrack(70, 20);
        var loud = TestSignals.ClickTrack(150, 20);
        for (var i = 0; i < quiet.Samples.Length; i++)
        {
            quiet.Samples[i] *= 0.05f;
        }

        Assert.True(_analyzer.Analyze(loud).Features.Energy > _analyzer.Analyze(quiet).Features.Energy);
    }

    [Fact]
    public void Silence_gives_no_tempo_instead_of_a_guess()
    {
        var result = _analyzer.Analyze(new DecodedAudio(new float[AudioDecoder.DefaultSampleRate * 10], AudioDecoder.DefaultSampleRate));

        Assert.Equal(0, result.TempoBpm);
        Assert.Equal(-120, result.LoudnessDbfs);
    }
}
