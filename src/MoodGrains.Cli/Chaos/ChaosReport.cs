using System.Text;
using System.Text.Json;

namespace MoodGrains.Cli.Chaos;

/// <summary>The chaos table as text (aligned columns) or JSON (one object per row).</summary>
internal static class ChaosReport
{
    public static string Table(IReadOnlyList<ChaosRow> rows)
    {
        string[] headers = ["probe", "expected", "observed", "held"];
        var cells = rows.Select(r => new[] { r.Probe, r.Expected, r.Observed, r.Held ? "yes" : "NO" }).ToList();
        var widths = headers.Select((h, c) => cells.Select(row => row[c].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(string[] row) => text.AppendLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        Line(headers);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in cells)
        {
            Line(row);
        }

        var failed = rows.Count(r => !r.Held);
        text.AppendLine(failed == 0 ? $"all {rows.Count} rows hold" : $"{failed} of {rows.Count} rows do not hold");
        return text.ToString();
    }

    public static string Json(IReadOnlyList<ChaosRow> rows) => JsonSerializer.Serialize(rows, JsonSerializerOptions.Web);
}
