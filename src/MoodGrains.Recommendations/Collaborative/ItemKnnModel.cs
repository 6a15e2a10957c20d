using System.Numerics.Tensors;

namespace MoodGrains.Recommendations.Collaborative;

public sealed record ItemKnnOptions
{
    /// <summary>Neighbours kept per item; 0 keeps all non-zero similarities.</summary>
    public int Neighbours { get; init; } = 0;

    /// <summary>Shrinks similarities of items with few common users: sim = dot / (|a||b| + shrink).</summary>
    public float Shrink { get; init; } = 0;
}

/// <summary>
/// Item-item cosine similarity on log(1 + play count): the classic neighbourhood baseline, and the source of
/// "because you played X" explanations.
/// </summary>
public sealed class ItemKnnModel : IItemScorer
{
    private readonly InteractionMatrix _userItems;
    private readonly int[] _start;
    private readonly int[] _neighbour;
    private readonly float[] _similarity;

    private ItemKnnModel(InteractionMatrix userItems, int[] start, int[] neighbour, float[] similarity)
    {
        _userItems = userItems;
        _start = start;
        _neighbour = neighbour;
        _similarity = similarity;
    }

    public int Items => _userItems.Items;

    public static ItemKnnModel Train(InteractionMatrix interactions, ItemKnnOptions? options = null)
    {
        options ??= new ItemKnnOptions();
        var logged = interactions.Map(v => MathF.Log(1 + v));
        var itemUsers = logged.Transpose();
        var norms = new float[logged.Items];
        for (var i = 0; i < logged.Items; i++)
        {
            norms[i] = TensorPrimitives.Norm(itemUsers.RowValues(i));
        }

        var rows = new (int Item, float Sim)[logged.Items][];
        Parallel.For(0, logged.Items, () => new float[logged.Items], (i, _, acc) =>
        {
            var touched = new List<int>();
            var users = itemUsers.RowItems(i);
            var weights = itemUsers.RowValues(i);
            for (var p = 0; p < users.Length; p++)
            {
                var items = logged.RowItems(users[p]);
                var values = logged.RowValues(users[p]);
                for (var q = 0; q < items.Length; q++)
                {
                    var j = items[q];
                    if (j == i)
                    {
                        continue;
                    }

                    if (acc[j] == 0)
                    {
                        touched.Add(j);
                    }

                    acc[j] += weights[p] * values[q];
                }
            }

            var row = new (int Item, float Sim)[touched.Count];
            for (var t = 0; t < touched.Count; t++)
            {
                var j = touched[t];
                row[t] = (j, acc[j] / ((norms[i] * norms[j]) + options.Shrink));
                acc[j] = 0;
            }

            if (options.Neighbours > 0 && row.Length > options.Neighbours)
            {
                Array.Sort(row, (a, b) => b.Sim.CompareTo(a.Sim));
                row = row[..options.Neighbours];
            }

            rows[i] = row;
            return acc;
        }, _ => { });

        var start = new int[logged.Items + 1];
        for (var i = 0; i < rows.Length; i++)
        {
            start[i + 1] = start[i] + rows[i].Length;
        }

        var neighbour = new int[start[^1]];
        var similarity = new float[start[^1]];
        for (var i = 0; i < rows.Length; i++)
        {
            Array.Sort(rows[i], (a, b) => b.Sim.CompareTo(a.Sim));
            for (var t = 0; t < rows[i].Length; t++)
            {
                neighbour[start[i] + t] = rows[i][t].Item;
                similarity[start[i] + t] = rows[i][t].Sim;
            }
        }

        return new ItemKnnModel(interactions, start, neighbour, similarity);
    }

    /// <summary>The most similar items to <paramref name="item"/>, best first.</summary>
    public IEnumerable<(int Item, float Similarity)> NeighboursOf(int item)
    {
        for (var p = _start[item]; p < _start[item + 1]; p++)
        {
            yield return (_neighbour[p], _similarity[p]);
        }
    }

    /// <summary>score(i) = sum over the user's items j of sim(j, i); kept neighbour lists are not symmetric, so this walks j's list.</summary>
    public void Score(int user, Span<float> scores)
    {
        scores.Clear();
        foreach (var j in _userItems.RowItems(user))
        {
            for (var p = _start[j]; p < _start[j + 1]; p++)
            {
                scores[_neighbour[p]] += _similarity[p];
            }
        }
    }

    /// <summary>Similarity of two items (0 when not neighbours).</summary>
    public float Similarity(int a, int b)
    {
        for (var p = _start[a]; p < _start[a + 1]; p++)
        {
            if (_neighbour[p] == b)
            {
                return _similarity[p];
            }
        }

        return 0;
    }
}
