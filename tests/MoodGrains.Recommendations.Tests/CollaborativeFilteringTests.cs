using System.Numerics.Tensors;
using MoodGrains.Recommendations.Collaborative;
using MoodGrains.Training.Recommendations;

namespace MoodGrains.Recommendations.Tests;

public sealed class CollaborativeFilteringTests
{
    /// <summary>Nearly unregularised, so the loss without the regulariser is what ALS lowers.</summary>
    private static readonly ImplicitAlsOptions LightlyRegularised = new() { Factors = 8, Regularization = 0.1f, Alpha = 10f };

    [Fact]
    public void Als_item_factors_recover_the_planted_neighbours()
    {
        var (matrix, cluster) = PlantedData.Create();
        var model = ImplicitAlsModel.Train(matrix, new ImplicitAlsOptions { Factors = 8, Alpha = 5, Regularization = 5f, Iterations = 10, Seed = 1 });

        for (var item = 0; item < matrix.Items; item++)
        {
            var v = model.ItemVector(item).ToArray();
            var nearest = Enumerable.Range(0, matrix.Items).Where(j => j != item)
                .OrderByDescending(j => TensorPrimitives.CosineSimilarity(v, model.ItemVector(j)))
                .Take(10);
            Assert.All(nearest, j => Assert.Equal(cluster[item], cluster[j]));
        }
    }

    [Fact]
    public void Als_ranks_unseen_items_of_the_users_own_block_first()
    {
        var (matrix, cluster) = PlantedData.Create();
        var model = ImplicitAlsModel.Train(matrix, new ImplicitAlsOptions { Factors = 8, Alpha = 5, Regularization = 5f, Iterations = 10 });
        var scores = new float[matrix.Items];
        for (var user = 0; user < matrix.Users; user++)
        {
            var own = cluster[matrix.RowItems(user)[0]];
            var unseenOwn = cluster.Count(c => c == own) - matrix.RowLength(user);
            var top = RankingEvaluator.Rank(model, matrix, user, Math.Min(5, unseenOwn), scores);
            Assert.All(top, i => Assert.Equal(own, cluster[i]));
        }
    }

    [Fact]
    public void Als_training_lowers_the_weighted_loss_compared_with_one_sweep()
    {
        var (matrix, _) = PlantedData.Create();
        var one = ImplicitAlsModel.Train(matrix, LightlyRegularised with { Iterations = 1 });
        var ten = ImplicitAlsModel.Train(matrix, LightlyRegularised with { Iterations = 10 });
        Assert.True(Loss(ten, matrix) < Loss(one, matrix));
    }

    [Fact]
    public void Item_knn_neighbours_are_the_planted_block()
    {
        var (matrix, cluster) = PlantedData.Create();
        var model = ItemKnnModel.Train(matrix, new ItemKnnOptions { Neighbours = 10 });
        for (var item = 0; item < matrix.Items; item++)
        {
            var neighbours = model.NeighboursOf(item).ToArray();
            Assert.NotEmpty(neighbours);
            Assert.All(neighbours, n => Assert.Equal(cluster[item], cluster[n.Item]));
            Assert.True(neighbours.Zip(neighbours.Skip(1)).All(p => p.First.Similarity >= p.Second.Similarity));
        }
    }

    [Fact]
    public void Holdout_split_is_seeded_and_disjoint_from_training()
    {
        var (matrix, _) = PlantedData.Create();
        var a = HoldoutSplit.Create(matrix, 0.2, 42);
        var b = HoldoutSplit.Create(matrix, 0.2, 42);
        Assert.Equal(a.Test.Select(t => t.Order()), b.Test.Select(t => t.Order()));
        for (var u = 0; u < matrix.Users; u++)
        {
            Assert.Equal(matrix.RowLength(u), a.Train.RowLength(u) + a.Test[u].Count);
            Assert.Empty(a.Train.RowItems(u).ToArray().Intersect(a.Test[u]));
            Assert.Equal((int)Math.Round(0.2 * matrix.RowLength(u)), a.Test[u].Count);
        }
    }

    private static double Loss(ImplicitAlsModel model, InteractionMatrix matrix)
    {
        // Hu et al.'s objective without the regulariser: sum over all cells of c_ui (p_ui - x_u . y_i)^2.
        var options = LightlyRegularised;
        double loss = 0;
        for (var u = 0; u < matrix.Users; u++)
        {
            var seen = matrix.RowItems(u).ToArray();
            var values = matrix.RowValues(u).ToArray();
            for (var i = 0; i < matrix.Items; i++)
            {
                var prediction = TensorPrimitives.Dot(model.UserVector(u), model.ItemVector(i));
                var n = Array.IndexOf(seen, i);
                var c = n >= 0 ? 1 + (options.Alpha * MathF.Log(1 + values[n])) : 1;
                var p = n >= 0 ? 1 : 0;
                loss += c * (p - prediction) * (p - prediction);
            }
        }

        return loss;
    }
}
