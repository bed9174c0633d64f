using SpotMirror.Core.Numerics;

namespace SpotMirror.Core.Engines;

/// <summary>
/// EASE (Steck, "Embarrassingly Shallow Autoencoders", WWW 2019): item-item weights B from the closed
/// form B = I - P diagMat(1 / diag(P)), P = (XᵀX + λI)⁻¹, over the binary user x item matrix X.
/// Only items with at least MinUsers users take part, which bounds the dense m x m inverse (about m³
/// flops, 8m² bytes while fitting); a user's score for item j is the sum of B[i, j] over the items i
/// they like. The user side is read live at scoring time, so new likes count at once; B itself is
/// refitted in the background (see the worker's refresher) and swapped whole.
/// </summary>
public sealed class EaseModel
{
    private readonly Dictionary<long, int> _slot;
    private readonly long[] _items;
    private readonly float[] _weights;

    private EaseModel(long[] items, float[] weights, double lambda, TimeSpan fitTime, int users)
    {
        _items = items;
        _weights = weights;
        _slot = items.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        Lambda = lambda;
        FitTime = fitTime;
        Users = users;
    }

    public double Lambda { get; }
    public TimeSpan FitTime { get; }
    public int Users { get; }
    public int ItemCount => _items.Length;
    public long WeightBytes => (long)_weights.Length * sizeof(float);

    public static EaseModel Empty { get; } = new([], [], 0, TimeSpan.Zero, 0);

    /// <summary>Fits on users' liked item ids; items liked by fewer than minUsers users are left out.</summary>
    public static EaseModel Fit(IEnumerable<IReadOnlyCollection<long>> likesByUser, double lambda, int minUsers)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var users = likesByUser.Where(l => l.Count > 0).ToList();
        var counts = new Dictionary<long, int>();
        foreach (var likes in users)
        {
            foreach (var item in likes) counts[item] = counts.GetValueOrDefault(item) + 1;
        }
        var items = counts.Where(kv => kv.Value >= minUsers).Select(kv => kv.Key).Order().ToArray();
        var m = items.Length;
        if (m == 0) return Empty;
        var slot = items.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);

        var gram = new double[m * m];
        foreach (var likes in users)
        {
            var mine = likes.Where(slot.ContainsKey).Select(id => slot[id]).ToArray();
            foreach (var i in mine)
            {
                var row = i * m;
                foreach (var j in mine) gram[row + j] += 1;
            }
        }
        for (var i = 0; i < m; i++) gram[(i * m) + i] += lambda;
        Cholesky.Invert(gram, m);

        var weights = new float[m * m];
        Parallel.For(0, m, i =>
        {
            for (var j = 0; j < m; j++)
            {
                weights[(i * m) + j] = i == j ? 0f : (float)(-gram[(i * m) + j] / gram[(j * m) + j]);
            }
        });
        return new EaseModel(items, weights, lambda, clock.Elapsed, users.Count);
    }

    /// <summary>Adds the model's scores for a user's liked items (weight each) into per-item scores via map (track id -> item slot of the caller).</summary>
    public bool Score(IEnumerable<(long TrackId, double Weight)> likes, Func<long, int> itemOf, Span<float> scores)
    {
        var m = _items.Length;
        if (m == 0) return false;
        var row = new float[m];
        var any = false;
        foreach (var (trackId, weight) in likes)
        {
            if (weight <= 0 || !_slot.TryGetValue(trackId, out var i)) continue;
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_weights.AsSpan(i * m, m), (float)weight, row, row);
            any = true;
        }
        if (!any) return false;
        for (var j = 0; j < m; j++)
        {
            var item = itemOf(_items[j]);
            if (item >= 0) scores[item] += row[j];
        }
        return true;
    }
}
