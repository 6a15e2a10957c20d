using MoodGrains.Server.Operations;

namespace MoodGrains.Server.Extensions;

internal static class LoggingExtensions
{
    /// <summary>
    /// Every log line carries the current trace and span ids, so a line in the log finds its trace (OTLP) and
    /// the other lines of the same request; <c>MoodGrains:Logging:Json</c> writes one JSON object a line.
    /// </summary>
    public static WebApplicationBuilder AddMoodGrainsLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddMoodGrainsOptions<LogFormatOptions>(LogFormatOptions.Section);
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        var options = builder.Configuration.GetSection(LogFormatOptions.Section).Get<LogFormatOptions>() ?? new LogFormatOptions();
        if (options.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                // The trace ids travel as a scope; without scopes the JSON lines would lose them.
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        return builder;
    }
}
