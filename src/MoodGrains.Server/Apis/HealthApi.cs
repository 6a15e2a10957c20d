using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MoodGrains.Server.Options;
using Npgsql;

namespace MoodGrains.Server.Apis;

public static class HealthApi
{
    public static IServiceCollection AddMoodGrainsHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
            .AddCheck<SiloHealthCheck>("silo", tags: ["ready"]);
        return services;
    }

    /// <summary>/alive: the process answers. /health: it can also reach PostgreSQL and its silo is active.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    private sealed class PostgresHealthCheck(IOptions<PostgresOptions> options) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(options.Value.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL is unreachable: " + e.Message);
            }
        }
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
