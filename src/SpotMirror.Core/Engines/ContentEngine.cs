using SpotMirror.Core.Catalog;
using System.Runtime.CompilerServices;

namespace SpotMirror.Core.Engines;

/// <summary>
/// Cosine similarity of TF-IDF vectors through the inverted index. The query is the seed items'
/// vectors (for /similar), or else the user's taste: each scored item's vector times its score,
/// so dislikes push away. Item vectors are unit length, so a dot product over the postings of the
/// query's features, divided by the query's norm, is the cosine.
/// </summary>
public sealed class ContentEngine : IScoringEngine
{
    [ThreadStatic]
    private static float[]? _accumulator;

    [ThreadStatic]
    private static float[]? _denseQuery;

    public EngineKind Kind => EngineKind.Content;

    public bool Score(ScoringContext context, Span<float> scores)
    {
        var query = context.Seeds.Count > 0
            ? QueryVector(context.Catalog, context.Seeds.Select(i => (i, 1.0)))
            : QueryVector(context.Catalog, context.TasteItems);
        return query.Count > 0 && Accumulate(context.Catalog, query, scores);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool ScoreItems(ScoringContext context, ReadOnlySpan<int> items, Span<float> scores)
    {
        var query = context.Seeds.Count > 0
            ? QueryVector(context.Catalog, context.Seeds.Select(i => (i, 1.0)))
            : QueryVector(context.Catalog, context.TasteItems);
        double norm = 0;
        foreach (var value in query.Values) norm += value * value;
        if (norm <= 1e-12) return false;
        var inverse = (float)(1 / Math.Sqrt(norm));
        var catalog = context.Catalog;
        // The query spread over a dense array (one per thread, only its own features set and cleared after): a few
        // thousand candidates times their features were each a dictionary lookup, a quarter of a large request.
        var featureCount = catalog.FeatureIds.Count;
        var dense = _denseQuery is { } kept && kept.Length >= featureCount ? kept : (_denseQuery = new float[featureCount]);
        foreach (var (feature, value) in query) dense[feature] = value;
        try
        {
            for (var k = 0; k < items.Length; k++)
            {
                var features = catalog.Features.ColumnsOf(items[k]);
                var values = catalog.Features.ValuesOf(items[k]);
                var dot = 0f;
                for (var f = 0; f < features.Length; f++) dot += dense[features[f]] * values[f];
                scores[k] = dot * inverse;
            }
        }
        finally
        {
            foreach (var feature in query.Keys) dense[feature] = 0;
        }
        return true;
    }

    /// <summary>The sum of the given items' vectors, each times its weight, as feature -> value.</summary>
    public static Dictionary<int, float> QueryVector(CatalogIndex catalog, IEnumerable<(int Item, double Weight)> items)
    {
        var query = new Dictionary<int, float>();
        foreach (var (item, weight) in items)
        {
            var features = catalog.Features.ColumnsOf(item);
            var values = catalog.Features.ValuesOf(item);
            for (var k = 0; k < features.Length; k++)
            {
                query[features[k]] = query.GetValueOrDefault(features[k]) + (float)(values[k] * weight);
            }
        }
        return query;
    }

    /// <summary>Cosine of every item to the query, written into scores; false for a zero query.</summary>
    public static bool Accumulate(CatalogIndex catalog, Dictionary<int, float> query, Span<float> scores)
    {
        double norm = 0;
        foreach (var value in query.Values) norm += value * value;
        if (norm <= 1e-12) return false;
        var inverse = (float)(1 / Math.Sqrt(norm));
        foreach (var (feature, q) in query)
        {
            var items = catalog.Postings.ColumnsOf(feature);
            var values = catalog.Postings.ValuesOf(feature);
            var weight = q * inverse;
            for (var k = 0; k < items.Length; k++) scores[items[k]] += weight * values[k];
        }
        return true;
    }

    /// <summary>
    /// The content engine alone: the k items most similar to the seeds, best first, seeds left out.
    /// Scores accumulate through the postings of the seeds' features only; a single threshold scan
    /// then picks the top k (cheaper than per-item bookkeeping when popular tags touch much of the catalog).
    /// </summary>
    public static List<(int Item, float Score)> SimilarTo(CatalogIndex catalog, IReadOnlyList<int> seeds, int k)
    {
        var query = QueryVector(catalog, seeds.Select(i => (i, 1.0)));
        var n = catalog.Count;
        if (_accumulator is null || _accumulator.Length < n) _accumulator = new float[n];
        var scores = _accumulator.AsSpan(0, n);
        try
        {
            if (!Accumulate(catalog, query, scores)) return [];
            foreach (var seed in seeds) scores[seed] = 0;
            var result = new List<(int, float)>(k);
            foreach (var item in Ranking.TopK.Select(scores, k))
            {
                if (scores[item] > 0) result.Add((item, scores[item]));
            }
            return result;
        }
        finally
        {
            scores.Clear();
        }
    }

    /// <summary>Cosine between two catalog items (both unit vectors: a merge of two sorted sparse rows).</summary>
    public static float Cosine(CatalogIndex catalog, int a, int b)
    {
        var fa = catalog.Features.ColumnsOf(a);
        var va = catalog.Features.ValuesOf(a);
        var fb = catalog.Features.ColumnsOf(b);
        var vb = catalog.Features.ValuesOf(b);
        float dot = 0;
        for (int i = 0, j = 0; i < fa.Length && j < fb.Length;)
        {
            if (fa[i] == fb[j]) dot += va[i++] * vb[j++];
            else if (fa[i] < fb[j]) i++;
            else j++;
        }
        return dot;
    }
}
