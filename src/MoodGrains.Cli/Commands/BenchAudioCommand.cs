using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MoodGrains.Audio.Analysis;
using MoodGrains.Audio.Demo;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// Accuracy and cost of the audio analysis on the demo library, whose tempo and mode are known by construction:
/// tempo within 4 % (exact octave errors counted apart), mode and key, analysis time per minute of audio, and the
/// time for a 4-minute file (decode + analysis, one thread).
/// </summary>
internal sealed class BenchAudioCommand : ICliCommand
{
    private const string UsageText = "moodgrains bench audio [--dir DIR] [--count N] [--seed N] [--json]";
    private const double TempoTolerance = 0.04;

    public IReadOnlyList<string> Path { get; } = ["bench", "audio"];

    public string Summary => "tempo/mode accuracy and speed of the audio analysis on the demo library";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText, ["--dir", "--count", "--seed"], ["--json"]);
        var directory = parsed.Value("--dir") ?? LibraryMakeDemoCommand.DefaultDirectory();
        var count = parsed.Int("--count", DemoLibrary.DefaultCount, min: 1);
        var seed = parsed.Int("--seed", DemoLibrary.DefaultSeed);
        var json = parsed.Has("--json");

        var tracks = DemoLibrary.ReadManifest(directory);
        if (tracks is null || tracks.Count < count)
        {
            if (DemoLibrary.MissingTools() is { } missing)
            {
                Console.Error.WriteLine($"error: no demo library in {directory} and cannot make one; missing {missing}");
                return 1;
            }

            Console.Error.WriteLine($"making the demo library in {directory}");
            tracks = await LibraryMakeDemoCommand.MakeAsync(directory, count, seed, cancellationToken);
        }

        tracks = tracks.Take(count).ToList();
        var analyzer = LibraryAnalyzeCommand.CreateAnalyzer();
        var rows = new List<Row>();
        foreach (var track in tracks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var a = analyzer.Analyze(System.IO.Path.Combine(directory, track.File), cancellationToken);
            var ratio = a.TempoBpm / track.TempoBpm;
            var row = new Row(
                track.File, track.Region, track.TempoBpm, a.TempoBpm,
                Math.Abs(ratio - 1) <= TempoTolerance,
                Math.Abs(ratio - 2) <= 2 * TempoTolerance || Math.Abs(ratio - 0.5) <= 0.5 * TempoTolerance,
                $"{track.Key} {track.Mode}", $"{a.Key} {a.Mode.ToString().ToLowerInvariant()}",
                string.Equals(track.Mode, a.Mode.ToString(), StringComparison.OrdinalIgnoreCase),
                a.Mood is { } m && Math.Sign(m.Valence) == Math.Sign(track.Valence) && Math.Sign(m.Arousal) == Math.Sign(track.Arousal),
                a.Features.Energy, a.Mood?.Valence, a.Mood?.Arousal,
                a.DurationSeconds, a.DecodeMs, a.AnalysisMs);
            rows.Add(row);
            if (!json)
            {
                Console.Error.WriteLine($"[{rows.Count}/{tracks.Count}] {row.File,-26} tempo {row.TrueBpm,3} -> {row.FoundBpm,6:0.0} {(row.TempoOk ? "ok " : row.Octave ? "oct" : "BAD")}  " +
                    $"{row.TrueKey,-9} -> {row.FoundKey,-9} {(row.ModeOk ? "ok" : "BAD")}  {row.AnalysisMs,5:0} ms");
            }
        }

        var four = await FourMinutesAsync(analyzer, System.IO.Path.Combine(directory, tracks[0].File), cancellationToken);
        var minutes = rows.Sum(r => r.DurationS) / 60;
        var summary = new Dictionary<string, object>
        {
            ["pieces"] = rows.Count,
            ["tempo_within_4pct"] = Share(rows.Count(r => r.TempoOk), rows.Count),
            ["tempo_octave_errors"] = rows.Count(r => r.Octave),
            ["mode_accuracy"] = Share(rows.Count(r => r.ModeOk), rows.Count),
            ["key_accuracy"] = Share(rows.Count(r => r.TrueKey == r.FoundKey), rows.Count),
            ["mood_quadrant_accuracy"] = Share(rows.Count(r => r.QuadrantOk), rows.Count),
            ["audio_minutes"] = Math.Round(minutes, 2),
            ["analysis_ms_per_audio_minute"] = Math.Round(rows.Sum(r => r.AnalysisMs) / minutes, 1),
            ["decode_ms_per_audio_minute"] = Math.Round(rows.Sum(r => r.DecodeMs) / minutes, 1),
            ["four_minute_decode_ms"] = Math.Round(four.Analysis.DecodeMs, 1),
            ["four_minute_analysis_ms"] = Math.Round(four.Analysis.AnalysisMs, 1),
            ["four_minute_total_ms"] = Math.Round(four.Analysis.DecodeMs + four.Analysis.AnalysisMs, 1),
            ["four_minute_ffmpeg_cpu_ms"] = Math.Round(four.FfmpegCpuMs),
            ["four_minute_own_cpu_ms"] = Math.Round(four.OwnCpuMs),
            ["load_average_1min"] = LoadAverage(),
            ["by_region"] = rows.GroupBy(r => r.Region).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => new
            {
                pieces = g.Count(),
                tempo_within_4pct = Share(g.Count(r => r.TempoOk), g.Count()),
                mode_accuracy = Share(g.Count(r => r.ModeOk), g.Count()),
                mean_energy = Math.Round(g.Average(r => r.Energy), 3),
                mean_valence = Math.Round(g.Average(r => r.Valence ?? 0), 3),
                mean_arousal = Math.Round(g.Average(r => r.Arousal ?? 0), 3),
            }),
        };

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { summary, pieces = rows }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        }
        else
        {
            foreach (var (name, value) in summary)
            {
                if (value is IDictionary<string, object> || name == "by_region")
                {
                    continue;
                }

                Console.WriteLine($"{name,-30} {Convert.ToString(value, CultureInfo.InvariantCulture)}");
            }

            Console.WriteLine("by region (pieces, tempo ok, mode ok, mean energy, mean valence, mean arousal):");
            foreach (var g in rows.GroupBy(r => r.Region).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {g.Key,-16} {g.Count(),3} {Share(g.Count(r => r.TempoOk), g.Count()),6:0.000} {Share(g.Count(r => r.ModeOk), g.Count()),6:0.000} " +
                    $"{g.Average(r => r.Energy),6:0.000} {g.Average(r => r.Valence ?? 0),7:0.000} {g.Average(r => r.Arousal ?? 0),7:0.000}"));
            }
        }

        return 0;
    }

    /// <summary>
    /// Loops one piece to a 4-minute Opus file (ffmpeg) and times decoding and analysis of that file: wall clock, and
    /// CPU time of ffmpeg and of this process, since on a shared machine the wall clock also counts other people's work.
    /// </summary>
    private static async Task<(AudioAnalysis Analysis, double FfmpegCpuMs, double OwnCpuMs)> FourMinutesAsync(AudioAnalyzer analyzer, string source, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"moodgrains-4min-{Environment.ProcessId}.opus");
        try
        {
            var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-nostdin", "-loglevel", "error", "-y", "-stream_loop", "-1", "-i", source, "-t", "240", "-c:a", "libopus", "-b:a", "96k", path })
            {
                info.ArgumentList.Add(a);
            }

            using (var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start"))
            {
                var error = await process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"ffmpeg could not make the 4-minute file: {error}");
                }
            }

            // The first call warms the JIT; the second is the one reported.
            analyzer.Analyze(path, cancellationToken);
            var (children, own) = (ChildCpuMs(), OwnCpuMs());
            var analysis = analyzer.Analyze(path, cancellationToken);
            return (analysis, ChildCpuMs() - children, OwnCpuMs() - own);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>User + system time of this process's exited, waited-for children (cutime + cstime in /proc/self/stat).</summary>
    private static double ChildCpuMs()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return double.NaN;
        }

        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Field 16 and 17 of stat(5), counted from 1 with state as field 3; clock ticks of 10 ms.
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static double OwnCpuMs()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static double Share(int count, int total) => total == 0 ? 0 : Math.Round(count / (double)total, 3);

    private sealed record Row(
        string File, string Region, int TrueBpm, double FoundBpm, bool TempoOk, bool Octave, string TrueKey, string FoundKey, bool ModeOk,
        bool QuadrantOk, float Energy, float? Valence, float? Arousal, double DurationS, double DecodeMs, double AnalysisMs);
}
