using System.Numerics.Tensors;

namespace MoodGrains.Recommendations.Collaborative;

public enum ConfidenceScaling
{
    /// <summary>c = 1 + alpha * r (Hu, Koren, Volinsky 2008, eq. 3).</summary>
    Linear,

    /// <summary>c = 1 + alpha * log(1 + r / epsilon) (same paper, the variant for heavy-tailed counts such as plays).</summary>
    Log,
}

/// <summary>
/// Implicit ALS settings. The defaults are the ones the server trains with (its <c>MoodGrains:Recommendations</c>
/// options start from them); they are written here only. Evaluations on other data choose their own values.
/// </summary>
public sealed record ImplicitAlsOptions
{
    public int Factors { get; init; } = 64;

    public float Regularization { get; init; } = 30f;

    public float Alpha { get; init; } = 3f;

    public float Epsilon { get; init; } = 1f;

    public ConfidenceScaling Scaling { get; init; } = ConfidenceScaling.Log;

    public int Iterations { get; init; } = 15;

    /// <summary>Conjugate-gradient steps per row and sweep; warm-started from the previous sweep, so 3 suffice (Takács et al. 2011).</summary>
    public int ConjugateGradientSteps { get; init; } = 3;

    public int Seed { get; init; } = 42;

    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    public void Validate()
    {
        if (Factors < 1 || Iterations < 1 || ConjugateGradientSteps < 1)
        {
            throw new ArgumentException("Factors, Iterations and ConjugateGradientSteps must be positive.");
        }

        if (!(Regularization >= 0) || !(Alpha > 0) || !(Epsilon > 0))
        {
            throw new ArgumentException("Regularization must be >= 0; Alpha and Epsilon must be > 0.");
        }
    }
}

/// <summary>
/// Implicit-feedback matrix factorization (Hu, Koren, Volinsky 2008) trained by alternating least squares with a
/// conjugate-gradient inner solver (Takács, Pilászy, Tikk 2011): each half-step costs O(nnz * k * steps + n * k^2)
/// instead of the O(n * k^3) of exact solves, and rows are solved in parallel.
/// </summary>
public sealed class ImplicitAlsModel : IItemScorer
{
    private ImplicitAlsModel(int factors, float[] userFactors, float[] itemFactors, int users, int items)
    {
        Factors = factors;
        UserFactors = userFactors;
        ItemFactors = itemFactors;
        Users = users;
        Items = items;
    }

    public int Factors { get; }

    public int Users { get; }

    public int Items { get; }

    /// <summary>Row-major users x factors.</summary>
    public float[] UserFactors { get; }

    /// <summary>Row-major items x factors.</summary>
    public float[] ItemFactors { get; }

    public ReadOnlySpan<float> UserVector(int user) => UserFactors.AsSpan(user * Factors, Factors);

    public ReadOnlySpan<float> ItemVector(int item) => ItemFactors.AsSpan(item * Factors, Factors);

    public static ImplicitAlsModel Train(InteractionMatrix interactions, ImplicitAlsOptions options)
    {
        options.Validate();
        var confidence = ToConfidence(interactions, options);
        var transposed = confidence.Transpose();
        var k = options.Factors;
        var random = new Random(options.Seed);
        var users = new float[interactions.Users * k];
        var items = new float[interactions.Items * k];
        var scale = 0.01f;
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = (float)(random.NextDouble() - 0.5) * scale;
        }

        for (var i = 0; i < users.Length; i++)
        {
            users[i] = (float)(random.NextDouble() - 0.5) * scale;
        }

        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            SolveHalf(confidence, users, items, k, options);
            SolveHalf(transposed, items, users, k, options);
        }

        return new ImplicitAlsModel(k, users, items, interactions.Users, interactions.Items);
    }

    /// <summary>Confidence minus one, which is what the solver needs: c - 1 = alpha * f(r).</summary>
    internal static InteractionMatrix ToConfidence(InteractionMatrix interactions, ImplicitAlsOptions options) =>
        options.Scaling == ConfidenceScaling.Log
            ? interactions.Map(r => options.Alpha * MathF.Log(1 + (r / options.Epsilon)))
            : interactions.Map(r => options.Alpha * r);

    /// <summary>
    /// Solves every row of <paramref name="target"/> against the fixed <paramref name="fixedFactors"/>:
    /// (F'F + F'(C_u - I)F + reg I) x_u = F' C_u p_u, by a few warm-started CG steps.
    /// </summary>
    internal static void SolveHalf(InteractionMatrix confidenceMinusOne, float[] target, float[] fixedFactors, int k, ImplicitAlsOptions options)
    {
        var gram = Gram(fixedFactors, k, options.Regularization, options.MaxDegreeOfParallelism);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(0, confidenceMinusOne.Users, parallel, () => new float[4 * k], (row, _, buffer) =>
        {
            SolveRow(confidenceMinusOne.RowItems(row), confidenceMinusOne.RowValues(row), target.AsSpan(row * k, k), fixedFactors, gram, k, options.ConjugateGradientSteps, buffer);
            return buffer;
        }, _ => { });
    }

    /// <summary>Solves one row in place; also used to fold in a new user or a mood context without retraining.</summary>
    internal static void SolveRow(ReadOnlySpan<int> columns, ReadOnlySpan<float> confidenceMinusOne, Span<float> x, float[] fixedFactors, float[] gram, int k, int steps, float[] buffer)
    {
        var r = buffer.AsSpan(0, k);
        var p = buffer.AsSpan(k, k);
        var ap = buffer.AsSpan(2 * k, k);

        // r = b - A x, with b = sum_i c_i y_i and A x = G x + sum_i (c_i - 1)(y_i . x) y_i.
        MultiplyGram(gram, x, r, k);
        TensorPrimitives.Negate(r, r);
        for (var n = 0; n < columns.Length; n++)
        {
            var y = fixedFactors.AsSpan(columns[n] * k, k);
            var cm1 = confidenceMinusOne[n];
            var coefficient = (cm1 + 1) - (cm1 * TensorPrimitives.Dot(y, x));
            TensorPrimitives.MultiplyAdd(y, coefficient, r, r);
        }

        r.CopyTo(p);
        var rsOld = TensorPrimitives.Dot(r, r);
        for (var step = 0; step < steps && rsOld > 1e-20f; step++)
        {
            MultiplyGram(gram, p, ap, k);
            for (var n = 0; n < columns.Length; n++)
            {
                var y = fixedFactors.AsSpan(columns[n] * k, k);
                TensorPrimitives.MultiplyAdd(y, confidenceMinusOne[n] * TensorPrimitives.Dot(y, p), ap, ap);
            }

            var pap = TensorPrimitives.Dot(p, ap);
            if (!(pap > 0))
            {
                break;
            }

            var alpha = rsOld / pap;
            TensorPrimitives.MultiplyAdd(p, alpha, x, x);
            TensorPrimitives.MultiplyAdd(ap, -alpha, r, r);
            var rsNew = TensorPrimitives.Dot(r, r);
            TensorPrimitives.MultiplyAdd(p, rsNew / rsOld, r, p);
            rsOld = rsNew;
        }
    }

    /// <summary>F'F + reg I, k x k row-major.</summary>
    internal static float[] Gram(float[] factors, int k, float regularization, int parallelism)
    {
        var rows = factors.Length / k;
        var gram = new float[k * k];
        var sync = new object();
        var chunk = Math.Max(1, rows / Math.Max(1, parallelism));
        Parallel.For(0, (rows + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, c =>
        {
            var local = new float[k * k];
            var end = Math.Min(rows, (c + 1) * chunk);
            for (var row = c * chunk; row < end; row++)
            {
                var v = factors.AsSpan(row * k, k);
                for (var a = 0; a < k; a++)
                {
                    TensorPrimitives.MultiplyAdd(v, v[a], local.AsSpan(a * k, k), local.AsSpan(a * k, k));
                }
            }

            lock (sync)
            {
                TensorPrimitives.Add(gram, local, gram);
            }
        });
        for (var a = 0; a < k; a++)
        {
            gram[(a * k) + a] += regularization;
        }

        return gram;
    }

    private static void MultiplyGram(float[] gram, ReadOnlySpan<float> v, Span<float> result, int k)
    {
        for (var a = 0; a < k; a++)
        {
            result[a] = TensorPrimitives.Dot(gram.AsSpan(a * k, k), v);
        }
    }

    public void Score(int user, Span<float> scores) => ScoreVector(UserVector(user), scores);

    /// <summary>scores[i] = v . y_i for every item: one pass over the item factors.</summary>
    public void ScoreVector(ReadOnlySpan<float> vector, Span<float> scores)
    {
        var k = Factors;
        var items = ItemFactors.AsSpan();
        for (var i = 0; i < Items; i++)
        {
            scores[i] = TensorPrimitives.Dot(items.Slice(i * k, k), vector);
        }
    }

    /// <summary>
    /// Solves a user vector for an unseen history against the trained item factors (fold-in), e.g. a user who joined
    /// after the last training run, or a mood context treated as a pseudo-user.
    /// </summary>
    public float[] FoldIn(ReadOnlySpan<int> items, ReadOnlySpan<float> values, ImplicitAlsOptions options)
    {
        var k = Factors;
        var confidence = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            confidence[i] = options.Scaling == ConfidenceScaling.Log ? options.Alpha * MathF.Log(1 + (values[i] / options.Epsilon)) : options.Alpha * values[i];
        }

        var gram = Gram(ItemFactors, k, options.Regularization, options.MaxDegreeOfParallelism);
        var x = new float[k];
        SolveRow(items, confidence, x, ItemFactors, gram, k, Math.Max(k, options.ConjugateGradientSteps), new float[4 * k]);
        return x;
    }
}
