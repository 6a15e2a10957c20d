namespace MoodGrains.Server.Operations;

/// <summary>How the console log is written. Bound from <c>MoodGrains:Logging</c>.</summary>
public sealed class LogFormatOptions
{
    public const string Section = "MoodGrains:Logging";

    /// <summary>
    /// One JSON object a line (for Loki, Elasticsearch, CloudWatch ...), with the trace and span ids of the request
    /// or grain call that logged it. ASP.NET Core's own <c>Logging:Console:FormatterName=json</c> does the same.
    /// </summary>
    public bool Json { get; set; }
}
