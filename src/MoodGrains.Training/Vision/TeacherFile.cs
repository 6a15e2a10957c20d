using System.Globalization;
using MoodGrains.Mood;

namespace MoodGrains.Training.Vision;

/// <summary>
/// One configuration's seven emotion probabilities for each image of a FER-style folder, written by
/// <c>moodgrains eval fer --probabilities FILE</c> and read by <c>moodgrains train emotion --teacher FILE</c> as soft
/// targets. CSV: a <c># teacher: NAME</c> line, a header (<c>path</c> and the seven emotion names), then one row per
/// image, its path relative to the images folder (forward slashes).
/// </summary>
public static class TeacherFile
{
    private const string Tag = "# teacher: ";

    public static void Write(string path, string teacher, IEnumerable<(string RelativePath, float[] Probabilities)> rows)
    {
        var temporary = path + ".partial";
        using (var writer = new StreamWriter(temporary))
        {
            writer.WriteLine(Tag + teacher.ReplaceLineEndings(" "));
            writer.WriteLine("path," + string.Join(',', Emotions.Names));
            foreach (var (relative, probabilities) in rows)
            {
                if (relative.Contains(',', StringComparison.Ordinal) || probabilities.Length != Emotions.Count)
                {
                    throw new ArgumentException($"'{relative}': a teacher row needs a path without commas and {Emotions.Count} probabilities.", nameof(rows));
                }

                writer.WriteLine(relative.Replace('\\', '/') + "," + string.Join(',', probabilities.Select(p => p.ToString("R", CultureInfo.InvariantCulture))));
            }
        }

        // Complete or absent: a run stopped while writing leaves no half file under the real name.
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The rows by relative path, each checked: seven finite probabilities, none negative, summing to 1 (within 1e-3).</summary>
    /// <exception cref="InvalidDataException">naming the file and line of the first bad row.</exception>
    public static (string Teacher, Dictionary<string, float[]> Rows) Read(string path)
    {
        using var reader = new StreamReader(path);
        var first = reader.ReadLine();
        if (first is null || !first.StartsWith(Tag, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is not a teacher file (its first line should start with '{Tag.Trim()}').");
        }

        var header = "path," + string.Join(',', Emotions.Names);
        if (reader.ReadLine() != header)
        {
            throw new InvalidDataException($"'{path}', line 2: the header should be '{header}'.");
        }

        var rows = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var number = 2;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            var probabilities = new float[Emotions.Count];
            var valid = cells.Length == Emotions.Count + 1;
            for (var i = 0; valid && i < Emotions.Count; i++)
            {
                valid = float.TryParse(cells[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out probabilities[i]) && float.IsFinite(probabilities[i]) && probabilities[i] >= 0;
            }

            if (!valid || Math.Abs(probabilities.Sum() - 1) > 1e-3)
            {
                throw new InvalidDataException($"'{path}', line {number}: expected a path and {Emotions.Count} probabilities summing to 1.");
            }

            if (!rows.TryAdd(cells[0], probabilities))
            {
                throw new InvalidDataException($"'{path}', line {number}: '{cells[0]}' appears twice.");
            }
        }

        return (first[Tag.Length..], rows);
    }
}
