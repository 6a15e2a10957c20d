using System.Diagnostics;
using System.Text.Json;
using MoodGrains.Vision;
using OpenCvSharp;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// Per-frame cost of the vision pipeline on webcam-sized JPEGs with one face (made at run time from a photo in
/// expression-photos), split into decode / detect / classify, and frames per second with 1 and 2 threads.
/// </summary>
internal sealed class BenchVisionCommand : ICliCommand
{
    private static readonly string UsageText =
        "moodgrains bench vision [--frames N] [--photo FILE] [--detector blazeface|blazeface-front|haar] " +
        $"[--model {VisionModelNames.Choices}] [--settings APPSETTINGS.json] [--models DIR] [--json]";

    public IReadOnlyList<string> Path { get; } = ["bench", "vision"];

    public string Summary => "vision pipeline cost per 320x240 / 640x480 frame and frames per second";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, UsageText, ["--frames", "--photo", "--detector", "--model", "--models", "--settings"], ["--json"]);
        var frames = parsed.Int("--frames", 300, min: 1);
        var modelDir = ModelFolder.Find(parsed.Value("--models")) ?? throw parsed.Fail("the models folder was not found; pass --models DIR");
        var photo = parsed.Value("--photo") ?? FindSharedPhoto("happy.jpg");
        if (photo is null || !File.Exists(photo))
        {
            throw parsed.Fail("no photo: pass --photo FILE (a photo with one face), or keep ../shared/data/expression-photos beside the repository");
        }

        var model = parsed.Value("--model") ?? VisionModelNames.Default;
        var options = new VisionOptions { ModelDirectory = modelDir };
        if (model == VisionModelNames.Live)
        {
            // The server's detector, thresholds and model together: a --detector would no longer be what it runs.
            if (parsed.Has("--detector"))
            {
                throw parsed.Fail("--model live takes the detector from the server's settings; drop --detector");
            }

            var settings = parsed.Value("--settings") ?? LiveVisionSettings.Find()
                ?? throw parsed.Fail($"the server's settings were not found; pass --settings {LiveVisionSettings.RelativePath}");
            options = LiveVisionSettings.Load(settings, modelDir);
        }
        else
        {
            switch (parsed.Value("--detector") ?? "blazeface")
            {
                case "blazeface":
                    break;
                case "blazeface-front":
                    options.BlazeFaceFile = "blazeface-front.onnx";
                    break;
                case "haar":
                    options.Detector = FaceDetectorKind.Haar;
                    break;
                default:
                    throw parsed.Fail("unknown detector");
            }

            if (!VisionModelNames.TryApply(model, options))
            {
                throw parsed.Fail("unknown model");
            }
        }

        var errors = options.Validate();
        if (errors.Count > 0)
        {
            Console.Error.WriteLine("error: " + string.Join(" ", errors));
            return Task.FromResult(1);
        }

        // One core per analysis: OpenCV's own worker threads would blur what one call costs.
        Cv2.SetNumThreads(1);
        using var analyzer = new FrameAnalyzer(options);
        var results = new List<Dictionary<string, object>>();
        foreach (var (width, height) in new[] { (320, 240), (640, 480) })
        {
            var jpeg = WebcamFrame.FromPhoto(photo, width, height, jpegQuality: 85);
            var check = analyzer.Analyze(jpeg);
            if (!check.Succeeded)
            {
                Console.Error.WriteLine($"error: the {width}x{height} test frame gave {check.Status}: {check.Detail}");
                return Task.FromResult(1);
            }

            for (var i = 0; i < 30; i++)
            {
                analyzer.Analyze(jpeg); // warm-up
            }

            double decode = 0, detect = 0, classify = 0;
            // CPU time as well as wall time: on a shared machine the wall clock also counts time spent waiting for a core.
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < frames; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var t = analyzer.Analyze(jpeg).Timings;
                decode += t.DecodeMs;
                detect += t.DetectMs;
                classify += t.ClassifyMs;
            }

            var fps1 = frames / wall.Elapsed.TotalSeconds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / frames;
            var fps2 = MeasureParallel(analyzer, jpeg, frames, 2, cancellationToken);
            results.Add(new Dictionary<string, object>
            {
                ["frame"] = $"{width}x{height}",
                ["jpeg_bytes"] = jpeg.Length,
                ["faces"] = check.Faces.Count,
                ["decode_ms"] = Math.Round(decode / frames, 3),
                ["detect_ms"] = Math.Round(detect / frames, 3),
                ["classify_ms"] = Math.Round(classify / frames, 3),
                ["detect_plus_classify_ms"] = Math.Round((detect + classify) / frames, 3),
                ["total_ms"] = Math.Round((decode + detect + classify) / frames, 3),
                ["cpu_ms_per_frame"] = Math.Round(cpuMs, 3),
                ["fps_1_thread"] = Math.Round(fps1, 1),
                ["fps_2_threads"] = Math.Round(fps2, 1),
            });
        }

        var summary = new Dictionary<string, object>
        {
            ["detector"] = options.Detector == FaceDetectorKind.Haar ? "haar" : options.BlazeFaceFile,
            ["emotion_model"] = model is VisionModelNames.Default or VisionModelNames.Live ? $"{model} ({VisionModelNames.Describe(options)})" : model,
            ["frames_per_measurement"] = frames,
            ["processor_count"] = Environment.ProcessorCount,
            ["results"] = results,
        };
        if (parsed.Has("--json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(summary));
        }
        else
        {
            Console.WriteLine($"detector: {summary["detector"]}   emotion model: {summary["emotion_model"]}   {frames} frames per measurement, {Environment.ProcessorCount} cores");
            Console.WriteLine($"{"frame",-9} {"bytes",7} {"decode",8} {"detect",8} {"classify",9} {"det+cls",8} {"total",8} {"cpu/frm",8} {"fps x1",7} {"fps x2",7}");
            foreach (var r in results)
            {
                Console.WriteLine($"{r["frame"],-9} {r["jpeg_bytes"],7} {r["decode_ms"],6:F3}ms {r["detect_ms"],6:F3}ms {r["classify_ms"],7:F3}ms {r["detect_plus_classify_ms"],6:F3}ms {r["total_ms"],6:F3}ms {r["cpu_ms_per_frame"],6:F3}ms {r["fps_1_thread"],7:F1} {r["fps_2_threads"],7:F1}");
            }
        }

        return Task.FromResult(0);
    }

    private static double MeasureParallel(FrameAnalyzer analyzer, byte[] jpeg, int frames, int threads, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        Parallel.For(0, frames * threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
            _ => analyzer.Analyze(jpeg));
        return frames * threads / wall.Elapsed.TotalSeconds;
    }

    private static string? FindSharedPhoto(string name)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "..", "shared", "data", "expression-photos", name);
            if (File.Exists(candidate))
            {
                return System.IO.Path.GetFullPath(candidate);
            }
        }

        return null;
    }
}
