using System.ComponentModel.DataAnnotations;

namespace MoodGrains.Server.Operations;

/// <summary>What only the people running MoodGrains may see. Bound from <c>MoodGrains:Operator</c>.</summary>
public sealed class OperatorOptions
{
    public const string Section = "MoodGrains:Operator";

    /// <summary>
    /// The operator's password for the Orleans Dashboard (HTTP basic auth with any user name, or a bearer token).
    /// Empty, the default, turns the dashboard off.
    /// </summary>
    [MinLength(12, ErrorMessage = "MoodGrains:Operator:DashboardPassword must be at least 12 characters (or empty to turn the dashboard off).")]
    public string? DashboardPassword { get; set; }

    /// <summary>Where the dashboard is served.</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9._/-]+$", ErrorMessage = "MoodGrains:Operator:DashboardPath must be a path such as /dashboard.")]
    public string DashboardPath { get; set; } = "/dashboard";

    public bool DashboardEnabled => !string.IsNullOrEmpty(DashboardPassword);
}
