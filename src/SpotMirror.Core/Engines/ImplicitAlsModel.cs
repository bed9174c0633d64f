using System.Numerics.Tensors;
using SpotMirror.Core.Numerics;
using System.Runtime.CompilerServices;

namespace SpotMirror.Core.Engines;

/// <summary>The hyper-parameters of iALS (see <see cref="ImplicitAls"/>).</summary>
public sealed record ImplicitAlsSettings
{
    /// <summary>Factors per user and per item (k).</summary>
    public int Factors { get; init; } = 128;
    /// <summary>Global weight of every unobserved (user, item) pair.</summary>
    public double Alpha0 { get; init; } = 0.1;
    /// <summary>Regularisation; scaled per row by (observed count + α0 x the other side's size).</summary>
    public double Lambda { get; init; } = 0.01;
    public int Epochs { get; init; } = 20;
    /// <summary>Conjugate-gradient steps per row per epoch, from the row's previous vector.</summary>
    public int CgSteps { get; init; } = 3;
    public int Seed { get; init; } = 42;
    /// <summary>
    /// β: an unobserved pair's weight grows with the item's listeners as (listeners)^β, normalised so α0 stays
    /// the mean weight; 0 weighs every unobserved pair alike. The model's Gramian is weighted the same way,
    /// so a folded-in user is solved exactly as the fit solves users.
    /// </summary>
    public double UnobservedPopularityExponent { get; init; }
    /// <summary>Threads for the fit; 0 uses every core but one, so requests keep a core while a background fit runs.</summary>
    public int Threads { get; init; }
}

/// <summary>
/// A fitted iALS model: item factors in half precision (items with no training interaction are not in it, so
/// their factors are zero; at a million tracks and k = 128 they are 245 MB instead of 490, served, warm-started
/// from and stored as they are, each widened to float where it is used), the users' fitted vectors (for warm
/// starts), and the item Gramian HᵀH
/// (weighted by each item's share of the unobserved weight when β > 0),
/// which makes a user's exact vector one k x k solve at request time (<see cref="FoldIn"/>).
/// </summary>
public sealed class ImplicitAlsModel
{
    /// <summary>Null when the items are in ascending order (every fit's are): then a slot is a binary search, with no index of its own.</summary>
    private readonly Dictionary<long, int>? _slotOf;
    private readonly long[] _items;
    private readonly Half[] _itemFactors;
    private readonly long[] _users;
    private readonly float[] _userFactors;
    private readonly double[] _gram;

    /// <summary>A model of float item factors, stored rounded to half precision.</summary>
    public ImplicitAlsModel(
        ImplicitAlsSettings settings, long[] items, float[] itemFactors, long[] users, float[] userFactors, double[] gram, TimeSpan fitTime)
        : this(settings, items, ToHalf(itemFactors), users, userFactors, gram, fitTime)
    {
    }

    /// <summary>A model whose item factors are already in half precision (the fit's own, the factor file's, the published blob's).</summary>
    public static ImplicitAlsModel FromStored(
        ImplicitAlsSettings settings, long[] items, Half[] itemFactors, long[] users, float[] userFactors, double[] gram, TimeSpan fitTime) =>
        new(settings, items, itemFactors, users, userFactors, gram, fitTime);

    private static Half[] ToHalf(float[] factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        var halves = new Half[factors.Length];
        TensorPrimitives.ConvertToHalf(factors, halves);
        return halves;
    }

    private ImplicitAlsModel(
        ImplicitAlsSettings settings, long[] items, Half[] itemFactors, long[] users, float[] userFactors, double[] gram, TimeSpan fitTime)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(itemFactors);
        var k = settings.Factors;
        if (itemFactors.Length != (long)items.Length * k || userFactors.Length != (long)users.Length * k || gram.Length != k * k)
        {
            throw new ArgumentException("The factor arrays do not match the item, user and factor counts.");
        }
        Settings = settings;
        _items = items;
        _itemFactors = itemFactors;
        _users = users;
        _userFactors = userFactors;
        _gram = gram;
        FitTime = fitTime;
        // A dictionary of a million ids is some 27 MB, twice over while a refit's model is built beside the served one.
        if (!Ascending(items))
        {
            _slotOf = new Dictionary<long, int>(items.Length);
            for (var i = 0; i < items.Length; i++) _slotOf[items[i]] = i;
        }
        _leaders = new Lazy<int[][]>(BuildLeaders);
    }

    private readonly Lazy<int[][]> _leaders;
    private const int LeadersPerDimension = 256;

    /// <summary>
    /// For each factor d, the slots with the largest h[d] (entry 2d) and the most negative (entry 2d + 1):
    /// a user's best items by inner product mostly lead the dimensions where the user's vector is large.
    /// </summary>
    internal int[][] Leaders => _leaders.Value;

    private int[][] BuildLeaders()
    {
        var k = Factors;
        var leaders = new int[2 * k][];
        // One column buffer per worker thread, not per column: at a million items a fresh one for each of the 2k
        // columns was a gigabyte of large-object garbage in a second, and the process's peak.
        Parallel.For(0, 2 * k, () => new float[ItemCount], (e, _, values) =>
        {
            var (d, sign) = (e / 2, e % 2 == 0 ? 1f : -1f);
            for (var i = 0; i < values.Length; i++) values[i] = sign * (float)_itemFactors[(i * k) + d];
            leaders[e] = [.. Ranking.TopK.Select(values, LeadersPerDimension)];
            return values;
        }, _ => { });
        return leaders;
    }

    public static ImplicitAlsModel Empty { get; } = FromStored(new ImplicitAlsSettings { Factors = 1 }, [], [], [], [], [0], TimeSpan.Zero);

    public ImplicitAlsSettings Settings { get; }
    public int Factors => Settings.Factors;
    public int ItemCount => _items.Length;
    public int UserCount => _users.Length;
    public TimeSpan FitTime { get; }
    public long FactorBytes => ((long)_itemFactors.Length * 2) + ((long)_userFactors.Length * sizeof(float));

    public ReadOnlySpan<long> Items => _items;
    public ReadOnlySpan<Half> ItemFactors => _itemFactors;
    public ReadOnlySpan<long> Users => _users;
    public ReadOnlySpan<float> UserFactors => _userFactors;
    public ReadOnlySpan<double> Gram => _gram;

    internal Dictionary<long, int> UserIndex()
    {
        var index = new Dictionary<long, int>(_users.Length);
        for (var i = 0; i < _users.Length; i++) index[_users[i]] = i;
        return index;
    }

    public bool TryGetSlot(long trackId, out int slot)
    {
        if (_slotOf is not null) return _slotOf.TryGetValue(trackId, out slot);
        slot = Array.BinarySearch(_items, trackId);
        if (slot >= 0) return true;
        slot = 0;
        return false;
    }

    private static bool Ascending(long[] ids)
    {
        for (var i = 1; i < ids.Length; i++)
        {
            if (ids[i] <= ids[i - 1]) return false;
        }
        return true;
    }

    /// <summary>An item's factors in float, written into <paramref name="into"/> (k long).</summary>
    public void ItemVector(int slot, Span<float> into) => TensorPrimitives.ConvertToSingle(_itemFactors.AsSpan(slot * Factors, Factors), into[..Factors]);

    /// <summary>The vector the fit left for a user (null when the user was not in the fit).</summary>
    public float[]? FittedUser(long userId)
    {
        var i = Array.IndexOf(_users, userId);
        return i < 0 ? null : _userFactors.AsSpan(i * Factors, Factors).ToArray();
    }

    /// <summary>
    /// The user's exact vector against the current item factors, from their liked track ids:
    /// (Σ hᵢhᵢᵀ + α0 HᵀH + λ(|I_u| + α0|I|) I) w = Σ hᵢ, one Cholesky solve. Null when no like is a known item.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[]? FoldIn(IEnumerable<long> likedTrackIds)
    {
        ArgumentNullException.ThrowIfNull(likedTrackIds);
        var k = Factors;
        var slots = new List<int>();
        foreach (var id in likedTrackIds)
        {
            if (TryGetSlot(id, out var slot)) slots.Add(slot);
        }
        if (slots.Count == 0) return null;
        // At k = 128 the system is 128 KiB: rented, because a fresh one per request lands on the large
        // object heap and brings on full collections.
        var rented = System.Buffers.ArrayPool<double>.Shared.Rent(k * k);
        var outer = System.Buffers.ArrayPool<float>.Shared.Rent(k * k);
        try
        {
            // Σ hᵢhᵢᵀ row by row with SIMD in float32 (the factors' own precision), then the solve in double.
            var sum = outer.AsSpan(0, k * k);
            sum.Clear();
            var b = new double[k];
            Span<float> h = stackalloc float[k];
            foreach (var slot in slots)
            {
                ItemVector(slot, h);
                for (var r = 0; r < k; r++)
                {
                    b[r] += h[r];
                    var row = sum.Slice(r * k, k);
                    TensorPrimitives.MultiplyAdd(h, h[r], row, row);
                }
            }
            var a = rented.AsSpan(0, k * k);
            var alpha0 = Settings.Alpha0;
            for (var i = 0; i < a.Length; i++) a[i] = (alpha0 * _gram[i]) + sum[i];
            var reg = ImplicitAls.Regularization(Settings.Lambda, slots.Count, alpha0, ItemCount);
            for (var d = 0; d < k; d++) a[(d * k) + d] += reg;
            Cholesky.Factor(rented, k);
            Cholesky.Solve(rented, k, b);
            return b.Select(x => (float)x).ToArray();
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(rented);
            System.Buffers.ArrayPool<float>.Shared.Return(outer);
        }
    }

    public float Score(ReadOnlySpan<float> user, int slot)
    {
        Span<float> scratch = stackalloc float[Factors];
        return Score(user, slot, scratch);
    }

    /// <summary>The inner product with an item, its factors widened into <paramref name="scratch"/> (k long: one per scoring loop, not per item).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float Score(ReadOnlySpan<float> user, int slot, Span<float> scratch)
    {
        ItemVector(slot, scratch);
        return TensorPrimitives.Dot(user, scratch[..Factors]);
    }
}
