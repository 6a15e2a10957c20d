using MoodGrains.Recommendations.Collaborative;

namespace MoodGrains.Recommendations.Tests;

/// <summary>
/// Users and items in <c>clusters</c> blocks: every user plays a random 60% of their own block's items and nothing
/// else, so the true neighbours of an item are exactly the items of its block.
/// </summary>
internal static class PlantedData
{
    public static (InteractionMatrix Matrix, int[] ItemCluster) Create(int clusters = 4, int usersPerCluster = 40, int itemsPerCluster = 25, int seed = 7)
    {
        var random = new Random(seed);
        var interactions = new List<Interaction>();
        var itemCluster = new int[clusters * itemsPerCluster];
        for (var i = 0; i < itemCluster.Length; i++)
        {
            itemCluster[i] = i / itemsPerCluster;
        }

        for (var u = 0; u < clusters * usersPerCluster; u++)
        {
            var c = u / usersPerCluster;
            for (var j = 0; j < itemsPerCluster; j++)
            {
                if (random.NextDouble() < 0.6)
                {
                    interactions.Add(new Interaction(u, (c * itemsPerCluster) + j, 1 + random.Next(20)));
                }
            }
        }

        return (InteractionMatrix.Build(clusters * usersPerCluster, itemCluster.Length, interactions), itemCluster);
    }
}
