using MoodGrains.Recommendations.Collaborative;

namespace MoodGrains.Training.Recommendations;

/// <summary>A train matrix plus, per user, the held-out items to find.</summary>
public sealed record HoldoutSplit(InteractionMatrix Train, IReadOnlyList<HashSet<int>> Test)
{
    /// <summary>
    /// Per-user holdout: each user's items are shuffled with a generator seeded by <paramref name="seed"/> and
    /// round(fraction * n) of them (at least 1, and only for users with at least 2 items) are held out;
    /// the rest, with their play counts, form the training matrix.
    /// </summary>
    public static HoldoutSplit Create(InteractionMatrix all, double fraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<Interaction>(all.NonZeros);
        var test = new List<HashSet<int>>(all.Users);
        for (var u = 0; u < all.Users; u++)
        {
            var items = all.RowItems(u).ToArray();
            var values = all.RowValues(u).ToArray();
            var order = Enumerable.Range(0, items.Length).ToArray();
            random.Shuffle(order);
            var holdout = items.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(fraction * items.Length));
            var held = new HashSet<int>();
            for (var n = 0; n < order.Length; n++)
            {
                if (n < holdout)
                {
                    held.Add(items[order[n]]);
                }
                else
                {
                    train.Add(new Interaction(u, items[order[n]], values[order[n]]));
                }
            }

            test.Add(held);
        }

        return new HoldoutSplit(InteractionMatrix.Build(all.Users, all.Items, train), test);
    }
}
