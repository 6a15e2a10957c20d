using Microsoft.Extensions.DependencyInjection.Extensions;
using MoodGrains.Grains.Rooms;
using MoodGrains.Music.Spotify;
using MoodGrains.Server.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MoodGrains.Server.Extensions;

internal static class TelemetryExtensions
{
    /// <summary>Meters read besides MoodGrains' own: Orleans, SignalR's connections and Kestrel (ASP.NET Core's are added by its instrumentation).</summary>
    private static readonly string[] Meters =
    [
        MoodGrainsMetrics.MeterName,
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.SignalR",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Authentication",
    ];

    private static readonly string[] ActivitySources =
    [
        "Microsoft.Orleans.Runtime",
        "Microsoft.Orleans.Application",
        "Microsoft.AspNetCore.SignalR.Server",
    ];

    /// <summary>
    /// OpenTelemetry metrics and traces: ASP.NET Core, SignalR, HttpClient, Npgsql, Orleans, the .NET runtime and
    /// <see cref="MoodGrainsMetrics"/>; a Prometheus scrape endpoint, and OTLP export when a collector is configured.
    /// Call after <c>AddMoodGrainsSilo</c>: it wraps the room notifier registered there.
    /// </summary>
    public static WebApplicationBuilder AddMoodGrainsTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddMoodGrainsOptions<TelemetryOptions>(TelemetryOptions.Section);
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

        builder.Services.AddSingleton<MoodGrainsMetrics>();
        builder.Services.AddSingleton<RoomActivityTracker>();
        builder.Services.AddSingleton<IConfigureGrainContextProvider>(sp => sp.GetRequiredService<RoomActivityTracker>());
        Decorate<IRoomNotifier>(builder.Services, (sp, inner) =>
            new MeteredRoomNotifier(inner, sp.GetRequiredService<MoodGrainsMetrics>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHttpClient<SpotifyApiClient>()
            .AddHttpMessageHandler(sp => new SpotifyCallMetricsHandler(sp.GetRequiredService<MoodGrainsMetrics>(), "web"));
        builder.Services.AddHttpClient<SpotifyAccountsClient>()
            .AddHttpMessageHandler(sp => new SpotifyCallMetricsHandler(sp.GetRequiredService<MoodGrainsMetrics>(), "accounts"));

        // Grain calls carry the caller's trace context, so a hub call and the grain turns it causes form one trace.
        builder.UseOrleans(orleans => orleans.AddActivityPropagation());

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("moodgrains", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (!string.IsNullOrEmpty(options.MetricsPath))
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(ActivitySources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path, options))
                .AddHttpClientInstrumentation()
                .AddNpgsql());

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            var protocol = options.OtlpProtocol == Telemetry.OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, new Uri(options.OtlpEndpoint));
        }
        else if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    public static WebApplication MapMoodGrainsTelemetry(this WebApplication app)
    {
        var path = app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.MetricsPath ?? new TelemetryOptions().MetricsPath;
        if (!string.IsNullOrEmpty(path))
        {
            app.MapPrometheusScrapingEndpoint(path);
        }

        return app;
    }

    /// <summary>Health probes and scrapes arrive every few seconds and would drown the traces that matter.</summary>
    private static bool IsProbe(PathString path, TelemetryOptions options) =>
        path.StartsWithSegments("/alive") || path.StartsWithSegments("/health") ||
        (!string.IsNullOrEmpty(options.MetricsPath) && path.StartsWithSegments(options.MetricsPath));

    private static void Decorate<TService>(IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TService))
            ?? throw new InvalidOperationException($"{typeof(TService).Name} must be registered before telemetry is added.");
        Func<IServiceProvider, TService> inner = registered switch
        {
            { ImplementationInstance: TService instance } => _ => instance,
            { ImplementationFactory: { } factory } => sp => (TService)factory(sp),
            { ImplementationType: { } type } => sp => (TService)ActivatorUtilities.CreateInstance(sp, type),
            _ => throw new InvalidOperationException($"Cannot decorate {typeof(TService).Name}."),
        };
        services.Replace(new ServiceDescriptor(typeof(TService), sp => decorate(sp, inner(sp)), registered.Lifetime));
    }
}
