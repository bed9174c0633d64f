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
        return fitted is null
            ? ImplicitAlsModel.Empty
            : ImplicitAlsModel.FromStored(settings, fitted.Items, fitted.ItemFactors, fitted.Users, fitted.UserFactors, fitted.ItemGram, clock.Elapsed);
    }

    private sealed record Fitted(long[] Items, Half[] ItemFactors, long[] Users, float[] UserFactors, double[] ItemGram);

    private delegate bool PreviousRow(long id, Span<float> row);

    /// <remarks>
    /// The item factors are kept in half precision throughout, as the model keeps them: at a million tracks and k = 128
    /// that is 245 MB instead of 490, and no float copy is ever made beside them (converting one at the end of the fit
    /// would make that moment the fit's peak). Each row is still solved in float; the users are solved against the items as stored, so a user
    /// folded in at request time gets the very vector the fit gave them.
    /// </remarks>
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
        var itemFactors = InitialHalves(data.Items, previousItem, k, random);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = settings.Threads > 0 ? settings.Threads : Math.Max(1, Environment.ProcessorCount - 1) };
        var itemGram = new double[k * k];
        var unobserved = UnobservedWeights(data.ItemStarts, settings.UnobservedPopularityExponent);
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var userGram = Gramian(userFactors, k, parallel);
            SolveItems(itemFactors, userFactors, data, userGram, settings, unobserved, parallel);
            itemGram = Gramian(itemFactors, k, parallel, unobserved);
            SolveUsers(userFactors, itemFactors, data, itemGram, settings, parallel);
        }
        return new Fitted(data.Items, itemFactors, data.Users, userFactors, itemGram);
    }

    private static float[] Initial(long[] ids, PreviousRow? previous, int k, Random random)
    {
        var factors = new float[(long)ids.Length * k];
        for (var i = 0; i < ids.Length; i++) InitialRow(ids[i], factors.AsSpan(i * k, k), previous, random);
        return factors;
    }

    private static Half[] InitialHalves(long[] ids, PreviousRow? previous, int k, Random random)
    {
        var factors = new Half[(long)ids.Length * k];
        var row = new float[k];
        for (var i = 0; i < ids.Length; i++)
        {
            InitialRow(ids[i], row, previous, random);
            TensorPrimitives.ConvertToHalf(row, factors.AsSpan(i * k, k));
        }
        return factors;
    }

    private static void InitialRow(long id, Span<float> row, PreviousRow? previous, Random random)
    {
        if (previous is not null && previous(id, row)) return;
        var scale = (float)(0.1 / Math.Sqrt(row.Length) * Math.Sqrt(3));
        for (var d = 0; d < row.Length; d++) row[d] = scale * ((2 * random.NextSingle()) - 1);
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
    internal static double[] Gramian(float[] factors, int k, ParallelOptions parallel, float[]? rowWeights = null) =>
        Gramian(factors.Length / k, k, parallel, rowWeights, (i, _) => factors.AsSpan(i * k, k));

    /// <summary>The same over half-precision rows, each widened to float first.</summary>
    internal static double[] Gramian(Half[] factors, int k, ParallelOptions parallel, float[]? rowWeights = null) =>
        Gramian(factors.Length / k, k, parallel, rowWeights, (i, into) =>
        {
            TensorPrimitives.ConvertToSingle(factors.AsSpan(i * k, k), into);
            return into;
        });

    private delegate ReadOnlySpan<float> RowOf(int row, Span<float> scratch);

    private static double[] Gramian(int rows, int k, ParallelOptions parallel, float[]? rowWeights, RowOf rowOf)
    {
        var gram = new double[k * k];
        var chunk = Math.Max(1024, rows / 64);
        var gate = new object();
        Parallel.For(0, (rows + chunk - 1) / chunk, parallel, () => new float[(k * k) + k], (c, _, local) =>
        {
            var end = Math.Min(rows, (c + 1) * chunk);
            var sums = local.AsSpan(0, k * k);
            for (var i = c * chunk; i < end; i++)
            {
                var row = rowOf(i, local.AsSpan(k * k, k));
                for (var a = 0; a < k; a++)
                {
                    var slice = sums.Slice(a * k, k);
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

    /// <summary>Improves each item's row (half precision, solved in float); unobserved (when not null) scales each item's weight on the pairs it was not seen in.</summary>
    private static void SolveItems(
        Half[] items, float[] users, Interactions data, double[] userGram, ImplicitAlsSettings settings, float[]? unobserved, ParallelOptions parallel)
    {
        var k = settings.Factors;
        var gram = userGram.Select(g => (float)g).ToArray();
        Parallel.For(0, data.Items.Length, parallel, () => new float[5 * k], (row, _, scratch) =>
        {
            var (start, end) = (data.ItemStarts[row], data.ItemStarts[row + 1]);
            var rowAlpha0 = unobserved is null ? settings.Alpha0 : settings.Alpha0 * unobserved[row];
            var reg = (float)Regularization(settings.Lambda, end - start, rowAlpha0, data.Users.Length);
            var b = scratch.AsSpan(3 * k, k);
            var x = scratch.AsSpan(4 * k, k);
            b.Clear();
            for (var j = start; j < end; j++) TensorPrimitives.Add(b, users.AsSpan(data.UsersOfItem[j] * k, k), b);
            var target = items.AsSpan(row * k, k);
            TensorPrimitives.ConvertToSingle(target, x);
            var system = new RowSystem(users, data.UsersOfItem.AsSpan(start, end - start), gram, (float)rowAlpha0, reg, k);
            ConjugateGradient.Solve(system, b, x, settings.CgSteps, scratch.AsSpan(0, 3 * k));
            TensorPrimitives.ConvertToHalf(x, target);
            return scratch;
        }, _ => { });
    }

    /// <summary>Improves each user's row against the items as stored: the user's items are widened into one dense block first.</summary>
    private static void SolveUsers(float[] users, Half[] items, Interactions data, double[] itemGram, ImplicitAlsSettings settings, ParallelOptions parallel)
    {
        var k = settings.Factors;
        var gram = itemGram.Select(g => (float)g).ToArray();
        var longest = 0;
        for (var u = 0; u < data.Users.Length; u++) longest = Math.Max(longest, data.UserStarts[u + 1] - data.UserStarts[u]);
        var identity = Enumerable.Range(0, longest).ToArray();
        Parallel.For(0, data.Users.Length, parallel, () => (Scratch: new float[4 * k], Block: new float[(long)longest * k]), (row, _, local) =>
        {
            var (start, end) = (data.UserStarts[row], data.UserStarts[row + 1]);
            var count = end - start;
            var reg = (float)Regularization(settings.Lambda, count, settings.Alpha0, data.Items.Length);
            var b = local.Scratch.AsSpan(3 * k, k);
            b.Clear();
            for (var j = 0; j < count; j++)
            {
                var h = local.Block.AsSpan(j * k, k);
                TensorPrimitives.ConvertToSingle(items.AsSpan(data.ItemsOfUser[start + j] * k, k), h);
                TensorPrimitives.Add(b, h, b);
            }
            var system = new RowSystem(local.Block, identity.AsSpan(0, count), gram, (float)settings.Alpha0, reg, k);
            ConjugateGradient.Solve(system, b, users.AsSpan(row * k, k), settings.CgSteps, local.Scratch.AsSpan(0, 3 * k));
            return local;
        }, _ => { });
    }

    /// <summary>One row's normal equations: A = Σ_observed h hᵀ + α0 G + reg I, applied without forming A (the observed rows are other's rows at columns).</summary>
    internal readonly ref struct RowSystem(float[] other, ReadOnlySpan<int> columns, float[] gram, float alpha0, float reg, int k) : ILinearSystem
    {
        private readonly ReadOnlySpan<int> _columns = columns;

        public int Size => k;

        public void Multiply(ReadOnlySpan<float> x, Span<float> y)
        {
            for (var a = 0; a < k; a++) y[a] = (alpha0 * TensorPrimitives.Dot(gram.AsSpan(a * k, k), x)) + (reg * x[a]);
            foreach (var column in _columns)
            {
                var h = other.AsSpan(column * k, k);
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
