using System.Diagnostics;
using System.Numerics.Tensors;
using SpotMirror.Core.Numerics;

namespace SpotMirror.Core.Engines;

/// <summary>
/// Implicit ALS (Hu, Koren and Volinsky 2008) in the form of Rendle et al. 2021, "Revisiting the
/// Performance of iALS on Item Recommendation Benchmarks": binary preferences, one weight α0 on every
/// unobserved pair (so the all-pairs term is α0 times a k x k Gramian; optionally weighted by item
/// popularity as in He et al. 2016, see <see cref="ImplicitAlsSettings.UnobservedPopularityExponent"/>), regularisation scaled by
/// frequency, and each row improved by a few warm-started conjugate-gradient steps instead of a k x k
/// inverse. Each epoch solves the items, then the users, so the users' vectors always answer to the
/// final item factors; rows are solved in parallel.
/// </summary>
public static class ImplicitAls
{
    /// <summary>λ(|observed| + α0 x |other side|): a row's ridge, scaled by how much data it sees.</summary>
    public static double Regularization(double lambda, int observed, double alpha0, int otherSide) =>
        lambda * (observed + (alpha0 * otherSide));

    /// <summary>
    /// Fits on each user's liked track ids. With a previous model, rows it knows start from its vectors
    /// (a warm start); new rows start small and random. Throws OperationCanceledException when cancelled.
    /// </summary>
    public static ImplicitAlsModel Fit(
        IReadOnlyList<(long User, long[] Items)> likes, ImplicitAlsSettings settings, ImplicitAlsModel? previous = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(likes);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        var fitted = Solve(Interactions.Build(likes), settings, previous, cancellationToken);
        if (fitted is null) return ImplicitAlsModel.Empty;
        // The like matrix is unreachable by now, so the half-precision copy of the item factors is made beside the
        // float ones alone, not beside the fit's working set too.
        return new ImplicitAlsModel(settings, fitted.Items, fitted.ItemFactors, fitted.Users, fitted.UserFactors, fitted.ItemGram, clock.Elapsed);
    }

    private sealed record Fitted(long[] Items, float[] ItemFactors, long[] Users, float[] UserFactors, double[] ItemGram);

    private delegate bool PreviousRow(long id, Span<float> row);

    private static Fitted? Solve(Interactions data, ImplicitAlsSettings settings, ImplicitAlsModel? previous, CancellationToken cancellationToken)
    {
        var k = settings.Factors;
        if (data.Items.Length == 0 || data.Users.Length == 0) return null;

        var random = new Random(settings.Seed);
        var warm = previous is not null && previous.Factors == k ? previous : null;
        var userIndex = warm?.UserIndex();
        PreviousRow? previousUser = warm is null || userIndex is null ? null : (id, row) =>
        {
            if (!userIndex.TryGetValue(id, out var at)) return false;
            warm.UserFactors.Slice(at * k, k).CopyTo(row);
            return true;
        };
        PreviousRow? previousItem = warm is null ? null : (id, row) =>
        {
            if (!warm.TryGetSlot(id, out var slot)) return false;
            warm.ItemVector(slot, row);
            return true;
        };
        var userFactors = Initial(data.Users, previousUser, k, random);
        var itemFactors = Initial(data.Items, previousItem, k, random);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = settings.Threads > 0 ? settings.Threads : Math.Max(1, Environment.ProcessorCount - 1) };
        var itemGram = new double[k * k];
        var unobserved = UnobservedWeights(data.ItemStarts, settings.UnobservedPopularityExponent);
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var userGram = Gramian(userFactors, k, parallel);
            SolveRows(itemFactors, userFactors, data.UsersOfItem, data.ItemStarts, userGram, data.Users.Length, settings, unobserved, parallel);
            // The last users are solved against the item factors as the model keeps them (half precision), so a user
            // folded in at request time gets the very vector the fit gave them.
            if (epoch == settings.Epochs - 1) RoundToHalf(itemFactors);
            itemGram = Gramian(itemFactors, k, parallel, unobserved);
            SolveRows(userFactors, itemFactors, data.ItemsOfUser, data.UserStarts, itemGram, data.Items.Length, settings, null, parallel);
        }
        return new Fitted(data.Items, itemFactors, data.Users, userFactors, itemGram);
    }

    /// <summary>Each value rounded to the nearest half-precision one, in place.</summary>
    private static void RoundToHalf(float[] values)
    {
        const int Block = 4096;
        var halves = new Half[Block];
        for (var start = 0; start < values.Length; start += Block)
        {
            var block = values.AsSpan(start, Math.Min(Block, values.Length - start));
            var rounded = halves.AsSpan(0, block.Length);
            TensorPrimitives.ConvertToHalf(block, rounded);
            TensorPrimitives.ConvertToSingle(rounded, block);
        }
    }

    private static float[] Initial(long[] ids, PreviousRow? previous, int k, Random random)
    {
        var factors = new float[(long)ids.Length * k];
        var scale = (float)(0.1 / Math.Sqrt(k) * Math.Sqrt(3));
        for (var i = 0; i < ids.Length; i++)
        {
            var row = factors.AsSpan(i * k, k);
            if (previous is not null && previous(ids[i], row)) continue;
            for (var d = 0; d < k; d++) row[d] = scale * ((2 * random.NextSingle()) - 1);
        }
        return factors;
    }

    /// <summary>
    /// Each item's share of the unobserved weight, (listeners)^β over its mean, so the shares average 1:
    /// β = 0 weighs every unobserved pair alike (null); β > 0 counts a popular item's absence as more telling
    /// (He et al. 2016), with α0 still the mean weight, so every row's regulariser keeps its scale.
    /// </summary>
    internal static float[]? UnobservedWeights(int[] itemStarts, double beta)
    {
        if (beta == 0) return null;
        var weights = new float[itemStarts.Length - 1];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)Math.Pow(itemStarts[i + 1] - itemStarts[i], beta);
            sum += weights[i];
        }
        var scale = (float)(weights.Length / sum);
        for (var i = 0; i < weights.Length; i++) weights[i] *= scale;
        return weights;
    }

    /// <summary>FᵀDF over the rows of F (n x k), D the rows' weights (1 when null), summed per chunk in float and across chunks in double.</summary>
    internal static double[] Gramian(float[] factors, int k, ParallelOptions parallel, float[]? rowWeights = null)
    {
        var rows = factors.Length / k;
        var gram = new double[k * k];
        var chunk = Math.Max(1024, rows / 64);
        var gate = new object();
        Parallel.For(0, (rows + chunk - 1) / chunk, parallel, () => new float[k * k], (c, _, local) =>
        {
            var end = Math.Min(rows, (c + 1) * chunk);
            for (var i = c * chunk; i < end; i++)
            {
                var row = factors.AsSpan(i * k, k);
                for (var a = 0; a < k; a++)
                {
                    var slice = local.AsSpan(a * k, k);
                    TensorPrimitives.MultiplyAdd(row, rowWeights is null ? row[a] : rowWeights[i] * row[a], slice, slice);
                }
            }
            return local;
        }, local =>
        {
            lock (gate)
            {
                for (var i = 0; i < gram.Length; i++) gram[i] += local[i];
            }
        });
        return gram;
    }

    /// <summary>Improves each row of target; unobserved (when not null) scales each target row's weight on the pairs it was not seen in.</summary>
    private static void SolveRows(
        float[] target, float[] other, int[] columns, int[] starts, double[] otherGram, int otherCount, ImplicitAlsSettings settings, float[]? unobserved, ParallelOptions parallel)
    {
        var k = settings.Factors;
        var gram = otherGram.Select(g => (float)g).ToArray();
        Parallel.For(0, starts.Length - 1, parallel, () => new float[4 * k], (row, _, scratch) =>
        {
            var (start, end) = (starts[row], starts[row + 1]);
            var rowAlpha0 = unobserved is null ? settings.Alpha0 : settings.Alpha0 * unobserved[row];
            var reg = (float)Regularization(settings.Lambda, end - start, rowAlpha0, otherCount);
            var b = scratch.AsSpan(3 * k, k);
            b.Clear();
            for (var j = start; j < end; j++)
            {
                var h = other.AsSpan(columns[j] * k, k);
                TensorPrimitives.Add(b, h, b);
            }
            var system = new RowSystem(other, columns, start, end, gram, (float)rowAlpha0, reg, k);
            ConjugateGradient.Solve(system, b, target.AsSpan(row * k, k), settings.CgSteps, scratch.AsSpan(0, 3 * k));
            return scratch;
        }, _ => { });
    }

    /// <summary>One row's normal equations: A = Σ_observed h hᵀ + α0 G + reg I, applied without forming A.</summary>
    internal readonly struct RowSystem(float[] other, int[] columns, int start, int end, float[] gram, float alpha0, float reg, int k) : ILinearSystem
    {
        public int Size => k;

        public void Multiply(ReadOnlySpan<float> x, Span<float> y)
        {
            for (var a = 0; a < k; a++) y[a] = (alpha0 * TensorPrimitives.Dot(gram.AsSpan(a * k, k), x)) + (reg * x[a]);
            for (var j = start; j < end; j++)
            {
                var h = other.AsSpan(columns[j] * k, k);
                TensorPrimitives.MultiplyAdd(h, TensorPrimitives.Dot(h, x), y, y);
            }
        }
    }

    /// <summary>
    /// The like matrix in both orientations (CSR by user, CSC by item), with dense slots. Built at exact sizes
    /// with one scratch row for de-duplication: at a million tracks and ten million likes, growing lists and a
    /// set per user added a few hundred megabytes to the first fit's peak.
    /// </summary>
    private sealed record Interactions(long[] Users, long[] Items, int[] UserStarts, int[] ItemsOfUser, int[] ItemStarts, int[] UsersOfItem)
    {
        public static Interactions Build(IReadOnlyList<(long User, long[] Items)> likes)
        {
            var users = likes.Where(l => l.Items.Length > 0).ToArray();
            var itemIds = new HashSet<long>();
            var total = 0L;
            var longest = 0;
            foreach (var (_, liked) in users)
            {
                itemIds.UnionWith(liked);
                total += liked.Length;
                longest = Math.Max(longest, liked.Length);
            }
            var items = itemIds.ToArray();
            Array.Sort(items);

            var userStarts = new int[users.Length + 1];
            var itemCounts = new int[items.Length + 1];
            var ofUser = new int[total];
            var row = new int[longest];
            var filled = 0;
            for (var u = 0; u < users.Length; u++)
            {
                var liked = users[u].Items;
                // A binary search in the sorted ids rather than a dictionary of them: no second index of a million entries.
                for (var j = 0; j < liked.Length; j++) row[j] = Array.BinarySearch(items, liked[j]);
                Array.Sort(row, 0, liked.Length);
                for (var j = 0; j < liked.Length; j++)
                {
                    if (j > 0 && row[j] == row[j - 1]) continue;
                    ofUser[filled++] = row[j];
                    itemCounts[row[j] + 1]++;
                }
                userStarts[u + 1] = filled;
            }
            if (filled < ofUser.Length) Array.Resize(ref ofUser, filled);
            for (var i = 0; i < items.Length; i++) itemCounts[i + 1] += itemCounts[i];
            var ofItem = new int[filled];
            var next = (int[])itemCounts.Clone();
            for (var u = 0; u < users.Length; u++)
            {
                for (var j = userStarts[u]; j < userStarts[u + 1]; j++) ofItem[next[ofUser[j]]++] = u;
            }
            return new Interactions(users.Select(u => u.User).ToArray(), items, userStarts, ofUser, itemCounts, ofItem);
        }
    }
}
