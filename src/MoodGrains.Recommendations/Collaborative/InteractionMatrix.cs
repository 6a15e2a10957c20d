namespace MoodGrains.Recommendations.Collaborative;

/// <summary>One implicit-feedback observation: a user, an item and a non-negative strength (play count, weight).</summary>
public readonly record struct Interaction(int User, int Item, float Value);

/// <summary>
/// A sparse users x items matrix in compressed-row form, with its transpose, so both ALS half-steps and
/// item-item similarity walk contiguous memory.
/// </summary>
public sealed class InteractionMatrix
{
    private InteractionMatrix(int users, int items, int[] rowStart, int[] columns, float[] values)
    {
        Users = users;
        Items = items;
        RowStart = rowStart;
        Columns = columns;
        Values = values;
    }

    public int Users { get; }

    public int Items { get; }

    public int NonZeros => Columns.Length;

    /// <summary>Offsets into <see cref="Columns"/> / <see cref="Values"/>; row r spans [RowStart[r], RowStart[r+1]).</summary>
    internal int[] RowStart { get; }

    internal int[] Columns { get; }

    internal float[] Values { get; }

    public ReadOnlySpan<int> RowItems(int row) => Columns.AsSpan(RowStart[row], RowStart[row + 1] - RowStart[row]);

    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowStart[row], RowStart[row + 1] - RowStart[row]);

    public int RowLength(int row) => RowStart[row + 1] - RowStart[row];

    /// <summary>Builds the matrix; duplicate (user, item) pairs are summed, columns are sorted within a row.</summary>
    public static InteractionMatrix Build(int users, int items, IEnumerable<Interaction> interactions)
    {
        var perRow = new Dictionary<int, float>[users];
        foreach (var x in interactions)
        {
            if ((uint)x.User >= (uint)users || (uint)x.Item >= (uint)items)
            {
                throw new ArgumentOutOfRangeException(nameof(interactions), $"Interaction ({x.User}, {x.Item}) is outside {users} x {items}.");
            }

            if (!float.IsFinite(x.Value) || x.Value < 0)
            {
                throw new ArgumentException("Interaction values must be finite and non-negative.", nameof(interactions));
            }

            var row = perRow[x.User] ??= [];
            row[x.Item] = row.GetValueOrDefault(x.Item) + x.Value;
        }

        var rowStart = new int[users + 1];
        for (var u = 0; u < users; u++)
        {
            rowStart[u + 1] = rowStart[u] + (perRow[u]?.Count ?? 0);
        }

        var columns = new int[rowStart[users]];
        var values = new float[rowStart[users]];
        for (var u = 0; u < users; u++)
        {
            if (perRow[u] is not { } row)
            {
                continue;
            }

            var offset = rowStart[u];
            foreach (var (item, value) in row.OrderBy(p => p.Key))
            {
                columns[offset] = item;
                values[offset] = value;
                offset++;
            }
        }

        return new InteractionMatrix(users, items, rowStart, columns, values);
    }

    /// <summary>The same matrix with every value passed through <paramref name="map"/> (e.g. confidence scaling).</summary>
    public InteractionMatrix Map(Func<float, float> map)
    {
        var values = new float[Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = map(Values[i]);
        }

        return new InteractionMatrix(Users, Items, RowStart, Columns, values);
    }

    public InteractionMatrix Transpose()
    {
        var rowStart = new int[Items + 1];
        foreach (var c in Columns)
        {
            rowStart[c + 1]++;
        }

        for (var i = 0; i < Items; i++)
        {
            rowStart[i + 1] += rowStart[i];
        }

        var next = rowStart[..^1].ToArray();
        var columns = new int[Columns.Length];
        var values = new float[Values.Length];
        for (var u = 0; u < Users; u++)
        {
            for (var p = RowStart[u]; p < RowStart[u + 1]; p++)
            {
                var slot = next[Columns[p]]++;
                columns[slot] = u;
                values[slot] = Values[p];
            }
        }

        return new InteractionMatrix(Items, Users, rowStart, columns, values);
    }

    /// <summary>Number of users who interacted with each item.</summary>
    public int[] ItemCounts()
    {
        var counts = new int[Items];
        foreach (var c in Columns)
        {
            counts[c]++;
        }

        return counts;
    }
}
