using System.ComponentModel.DataAnnotations;

namespace MoodGrains.Server.Telemetry;

/// <summary>Metrics and traces. Bound from <c>MoodGrains:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "MoodGrains:Telemetry";

    /// <summary>Where Prometheus scrapes; empty turns the scrape endpoint off.</summary>
    [RegularExpression("^(/[A-Za-z0-9._/-]*)?$", ErrorMessage = "MoodGrains:Telemetry:MetricsPath must be empty or a path starting with '/'.")]
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>
    /// An OpenTelemetry collector to push metrics and traces to (OTLP). Empty: OTLP is off unless the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set, whose companions (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
    /// <c>OTEL_EXPORTER_OTLP_HEADERS</c>, ...) then apply as usual.
    /// </summary>
    [Url(ErrorMessage = "MoodGrains:Telemetry:OtlpEndpoint must be an absolute URL such as http://collector:4317.")]
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>Grpc</c> (port 4317) or <c>HttpProtobuf</c> (port 4318), for <see cref="OtlpEndpoint"/>.</summary>
    public OtlpProtocol OtlpProtocol { get; set; } = OtlpProtocol.Grpc;
}

public enum OtlpProtocol
{
    Grpc,
    HttpProtobuf,
}
