using System.Globalization;
using MoodGrains.Recommendations.Content;
using MoodGrains.Recommendations.Mood;

namespace MoodGrains.Training.Recommendations;

/// <summary>One labelled row of the Spotify mood dataset (data_moods.csv).</summary>
public sealed record LabelledTrack(string Name, string Artist, TrackFeatures Features, MoodLabel Label);

/// <summary>Reads data_moods.csv: a header row, then name, album, artist, id, ..., valence, ..., tempo, ..., mood.</summary>
public static class MoodDatasetCsv
{
    public static IReadOnlyList<LabelledTrack> Load(string path)
    {
        using var reader = new StreamReader(path);
        var header = SplitLine(reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty."));
        int Column(string name) => header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
            ? i
            : throw new InvalidDataException($"{path} has no '{name}' column.");
        var (nameCol, artistCol, moodCol) = (Column("name"), Column("artist"), Column("mood"));
        var featureCols = TrackFeatures.Names.Select(Column).ToArray();

        var rows = new List<LabelledTrack>();
        while (reader.ReadLine() is { } line)
        {
            var fields = SplitLine(line);
            if (fields.Count < header.Count || !MoodLabels.TryParse(fields[moodCol], out var label))
            {
                continue;
            }

            float? F(int n) => float.TryParse(fields[featureCols[n]], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
            rows.Add(new LabelledTrack(fields[nameCol], fields[artistCol], new TrackFeatures(F(0), F(1), F(2), F(3), F(4)), label));
        }

        return rows;
    }

    /// <summary>RFC 4180 fields: commas inside double quotes, doubled quotes as escapes.</summary>
    internal static List<string> SplitLine(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
