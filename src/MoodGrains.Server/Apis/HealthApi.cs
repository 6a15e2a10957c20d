using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Backplane;
using MoodGrains.Server.Options;
using MoodGrains.Server.Persistence;
using MoodGrains.Server.Recommendations;
using Npgsql;

namespace MoodGrains.Server.Apis;

public static class HealthApi
{
    public static IServiceCollection AddMoodGrainsHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
            .AddCheck<SiloHealthCheck>("silo", tags: ["ready"])
            .AddCheck<RecommenderHealthCheck>("recommender", tags: ["ready"])
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// /alive: the process answers. /health: it can also reach PostgreSQL and its silo is active (503 otherwise); with
    /// Redis configured but unreachable it still serves, as "Degraded" with a 200. The body names each dependency's
    /// state, so an operator sees which one is missing.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReportAsync });
        return app;
    }

    private static Task WriteReportAsync(HttpContext http, HealthReport report) =>
        http.Response.WriteAsJsonAsync(new HealthResponse(
            report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthEntry(e.Value.Status.ToString(), e.Value.Description))));

    private sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthEntry> Checks);

    private sealed record HealthEntry(string Status, string? Description);

    /// <summary>Redis only carries pushes between silos: without it the silo serves its own connections, so Degraded.</summary>
    private sealed class RedisHealthCheck(RedisLink redis) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(!redis.IsConfigured ? HealthCheckResult.Healthy("Not configured: pushes reach this silo's connections only.")
                : redis.IsConnected ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded("Redis is unreachable: pushes reach this silo's connections only until it answers."));
    }

    private sealed class PostgresHealthCheck(IOptions<PostgresOptions> options, PostgresPools pools) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(PostgresPools.WithSiloDefaults(options.Value.ConnectionString));
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // A restart leaves dead connections in the pools; the next check (and call) should open fresh ones.
                pools.Clear();
                return HealthCheckResult.Unhealthy("PostgreSQL is unreachable: " + e.Message);
            }
        }
    }

    /// <summary>Ready once the first model is trained, so the first room gets a full queue.</summary>
    private sealed class RecommenderHealthCheck(RecommenderHolder holder) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(holder.Current is { } current
                ? HealthCheckResult.Healthy($"model {current.Snapshot.Version}")
                : HealthCheckResult.Unhealthy("The recommender is still training its first model."));
    }

    private sealed class SiloHealthCheck(IClusterClient client) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                return HealthCheckResult.Healthy($"{hosts.Count} active silo(s)");
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("The silo is not serving: " + e.Message);
            }
        }
    }
}
