using System.Globalization;
using System.Text.Json;
using MoodGrains.Cli.MoodFollow;

namespace MoodGrains.Cli.Commands;

internal sealed class BenchMoodFollowCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["bench", "mood-follow"];

    public string Summary => "how fast a room's music follows its faces: scripted rooms, fixed 5-deep refill vs just-in-time plan ([--seed N] [--rooms N] [--json])";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = CliArgs.Parse(args, "moodgrains bench mood-follow [--seed 7] [--rooms 12] [--items 3000] [--json]", ["--seed", "--rooms", "--items"], ["--json"]);
        var seed = options.Int("--seed", 7, min: 0);
        var rooms = options.Int("--rooms", 12, min: 1);
        var items = options.Int("--items", 3000, min: 200);
        var result = MoodFollowSimulation.Run(seed, rooms, items, users: 400);

        if (options.Has("--json"))
        {
            // The top-level baseline/live are the guests' party (the common case: guests sign in fresh); regulars beside it.
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["seed"] = seed,
                ["rooms"] = result.Rooms,
                ["catalog_tracks"] = result.CatalogTracks,
                ["simulated_hours"] = result.Guests.Hours,
                ["fit_radius"] = MoodFollowSimulation.FitRadius,
                ["seconds"] = result.Seconds,
                ["baseline"] = Json(result.Guests.Baseline),
                ["live"] = Json(result.Guests.Live),
                ["regulars"] = new Dictionary<string, object> { ["baseline"] = Json(result.Regulars.Baseline), ["live"] = Json(result.Regulars.Live) },
            }));
            return Task.FromResult(0);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Rooms} rooms of 3, {result.Guests.Hours} simulated hours per mode, {result.CatalogTracks} synthetic tracks, seed {seed} ({result.Seconds} s)"));
        Console.WriteLine($"{"",-28}{"guests: baseline",18}{"live",10}{"regulars: baseline",22}{"live",10}");
        foreach (var (name, pick) in Rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-28}{pick(result.Guests.Baseline),18}{pick(result.Guests.Live),10}{pick(result.Regulars.Baseline),22}{pick(result.Regulars.Live),10}"));
        }

        return Task.FromResult(0);
    }

    private static readonly (string Name, Func<ModeResult, double> Pick)[] Rows =
    [
        ("tracks to follow (p50)", r => r.TracksToFollowP50),
        ("tracks to follow (mean)", r => r.TracksToFollowMean),
        ("mean distance", r => r.MeanDistance),
        ("re-plans per hour", r => r.ReplansPerHour),
        ("re-plans per steady hour", r => r.SteadyReplansPerHour),
        ("max target step", r => r.MaxTargetStep),
        ("tracks played", r => r.Tracks),
        ("shifts", r => r.Shifts),
    ];

    private static Dictionary<string, double> Json(ModeResult r) => new()
    {
        ["tracks_to_follow_p50"] = r.TracksToFollowP50,
        ["tracks_to_follow_mean"] = r.TracksToFollowMean,
        ["mean_distance"] = r.MeanDistance,
        ["replans_per_hour"] = r.ReplansPerHour,
        ["steady_replans_per_hour"] = r.SteadyReplansPerHour,
        ["max_target_step"] = r.MaxTargetStep,
        ["tracks"] = r.Tracks,
        ["shifts"] = r.Shifts,
    };
}
