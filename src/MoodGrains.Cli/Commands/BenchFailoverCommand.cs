using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MoodGrains.Hosting.Local;

namespace MoodGrains.Cli.Commands;

/// <summary>
/// Measures how long a room is unusable after the silo holding it dies by SIGKILL: two silo processes on one
/// PostgreSQL, a room placed on the first, kill -9, then poll the room through the second until it answers with
/// its state. Reuses the test harness that starts real silo processes.
/// </summary>
internal sealed class BenchFailoverCommand : ICliCommand
{
    public IReadOnlyList<string> Path { get; } = ["bench", "failover"];

    public string Summary => "time from kill -9 of a room's silo to the room answering again [--runs 5] [--postgres CONN] [--json]";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, "moodgrains bench failover [--runs 5] [--postgres CONN] [--json]", ["--runs", "--postgres"], ["--json"]);
        var runs = parsed.Int("--runs", 5, min: 1);
        var json = parsed.Has("--json");

        // Without --postgres the bench starts its own server; MOODGRAINS_POSTGRES is not consulted.
        var external = parsed.Value("--postgres");

        await using var postgres = external is null ? await PostgresServer.StartAsync() : null;
        var samples = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var database = postgres is not null ? await postgres.CreateDatabaseAsync("failover") : external!;
            var clusterId = $"failover-{run}-{Environment.ProcessId}";
            var ms = await MeasureOnceAsync(database, clusterId, cancellationToken);
            samples.Add(ms);
            if (!json)
            {
                Console.WriteLine($"run {run}/{runs}: room usable again {ms:F0} ms after SIGKILL");
            }
        }

        samples.Sort();
        var median = samples.Count % 2 == 1 ? samples[samples.Count / 2] : (samples[(samples.Count / 2) - 1] + samples[samples.Count / 2]) / 2;
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { runs, median_ms = median, min_ms = samples[0], max_ms = samples[^1], samples_ms = samples }));
        }
        else
        {
            Console.WriteLine($"failover: median {median:F0} ms, min {samples[0]:F0} ms, max {samples[^1]:F0} ms over {runs} run(s)");
        }

        return 0;
    }

    private static async Task<double> MeasureOnceAsync(string database, string clusterId, CancellationToken cancellationToken)
    {
        await using var a = await SiloProcess.StartAsync(database, clusterId: clusterId);
        await using var b = await SiloProcess.StartAsync(database, clusterId: clusterId);
        using var viaA = a.CreateClient();
        using var viaB = b.CreateClient();
        var session = await GuestSession.CreateAsync(viaA);
        session.Authorize(viaA);
        session.Authorize(viaB);

        string? code = null;
        // Paced over up to 30 s: placement only spreads once each silo has seen the other and its load.
        var placing = Stopwatch.StartNew();
        while (code is null && placing.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var created = await viaA.PostAsJsonAsync("/api/rooms", new { displayName = "Bench" }, cancellationToken);
            created.EnsureSuccessStatusCode();
            var candidate = (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("code").GetString()!;
            var location = (await viaB.GetFromJsonAsync<JsonElement>($"/api/rooms/{candidate}/location", cancellationToken)).GetProperty("silo").GetString()!;
            if (location.Contains($":{a.SiloPort}:", StringComparison.Ordinal))
            {
                code = candidate;
            }
            else
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        if (code is null)
        {
            throw new InvalidOperationException("No room was placed on the first silo within 30 s.");
        }

        var stopwatch = Stopwatch.StartNew();
        a.Kill();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var response = await viaB.GetAsync($"/api/rooms/{code}", cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return stopwatch.Elapsed.TotalMilliseconds;
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
