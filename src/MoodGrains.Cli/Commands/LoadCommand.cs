using System.Text.Json;
using System.Text.Json.Serialization;
using MoodGrains.Cli.Load;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// Load test of the live loop against a running server: N simulated members in M rooms send real face JPEGs at F fps
/// through the room hub for S seconds; reports frames, outcomes, pushes, errors and the frame -> room-update latency.
/// </summary>
internal sealed class LoadCommand : ICliCommand
{
    private const string UsageText =
        "moodgrains load --url URL [--users N] [--rooms M] [--fps F] [--seconds S] [--frames DIR] [--json]\n" +
        "  defaults: 10 users, 1 room, 2 fps, 20 s; frames from ../shared/data/expression-photos";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // An empty measurement has no percentiles; NaN says so without failing the output.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public IReadOnlyList<string> Path { get; } = ["load"];

    public string Summary => "simulated room members sending face frames; frame -> room update latency";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var settings = Parse(args, out var json);
        var run = new LoadRun(settings);
        LoadReport report;
        try
        {
            report = await run.RunAsync(json ? _ => { } : message => Console.Error.WriteLine($"load: {message}"), cancellationToken);
        }
        catch (LoadSetupException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, Json));
        }
        else
        {
            Print(report);
        }

        return 0;
    }

    private static LoadSettings Parse(IReadOnlyList<string> args, out bool json)
    {
        var parsed = CliArgs.Parse(args, UsageText, ["--url", "--users", "--rooms", "--fps", "--seconds", "--frames"], ["--json"]);
        json = parsed.Has("--json");
        var url = parsed.Value("--url");
        var users = parsed.Int("--users", 10);
        var rooms = parsed.Int("--rooms", 1);
        var fps = parsed.Double("--fps", 2.0);
        var seconds = parsed.Int("--seconds", 20);
        var framesDir = parsed.Value("--frames");
        if (url is null || !Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            throw parsed.Fail(url is null ? "--url is required" : $"--url must be an http(s) address, not '{url}'");
        }

        if (fps is <= 0 or > 60)
        {
            throw parsed.Fail($"--fps takes a number of frames per second between 0 and 60, not '{parsed.Value("--fps")}'");
        }

        if (users < 1 || rooms < 1 || rooms > users)
        {
            throw parsed.Fail("--users and --rooms must be at least 1, with no more rooms than users");
        }

        if (seconds < 1)
        {
            throw parsed.Fail("--seconds must be at least 1");
        }

        var dir = framesDir ?? LoadFrames.FindDefaultDirectory();
        if (dir is null || !Directory.Exists(dir))
        {
            throw parsed.Fail(dir is null ? "no frames: pass --frames DIR (face photos), or keep ../shared/data/expression-photos beside the repository" : $"--frames: no folder '{dir}'");
        }

        var frames = LoadFrames.Load(dir);
        if (frames.Count == 0)
        {
            throw parsed.Fail($"--frames: no images in '{dir}'");
        }

        return new LoadSettings(server, users, rooms, fps, seconds, frames);
    }

    private static void Print(LoadReport r)
    {
        Console.WriteLine($"{r.Users} users in {r.Rooms} room(s) at {r.Fps:0.##} fps for {r.ElapsedSeconds:0.#} s against {r.Url} ({r.ProcessorCount} cores)");
        Console.WriteLine($"frames sent      {r.FramesSent} ({r.AchievedFps:0.#} fps total, {r.AchievedFpsPerUser:0.##} per user), skipped {r.FramesSkipped} (previous frame still unanswered)");
        Console.WriteLine($"outcomes         {(r.FramesByStatus.Count == 0 ? "none" : string.Join(", ", r.FramesByStatus.Select(s => $"{s.Key} {s.Value}")))}");
        Console.WriteLine($"updates received {r.UpdatesReceived} mood pushes, {r.RoomUpdatesReceived} room snapshots");
        Console.WriteLine($"errors           {r.Errors}{(r.ErrorSamples.Count > 0 ? ": " + string.Join(" | ", r.ErrorSamples) : "")}");
        Console.WriteLine($"{"(ms)",-26} {"n",6} {"mean",8} {"p50",8} {"p95",8} {"p99",8} {"max",8}");
        Row("latency to every member", r.LatencyMs);
        Row("frame outcome", r.OutcomeMs);
        Row("  decode", r.DecodeMs);
        Row("  detect", r.DetectMs);
        Row("  classify", r.ClassifyMs);
        Row("  outside inference", r.OutsideInferenceMs);
        if (r.Undelivered > 0)
        {
            Console.WriteLine($"{r.Undelivered} readings had not reached every member when the run ended (not in the latency numbers)");
        }
    }

    private static void Row(string name, Percentiles.Summary s) =>
        Console.WriteLine($"{name,-26} {s.Count,6} {s.Mean,8:F1} {s.P50,8:F1} {s.P95,8:F1} {s.P99,8:F1} {s.Max,8:F1}");
}
