using System.Buffers;
using System.Runtime.CompilerServices;
using SpotMirror.Core.Engines;

namespace SpotMirror.Core.Ranking;

/// <summary>
/// Blends the engines: each engine's scores divided by their largest magnitude, weighted and summed;
/// filters (hidden, already rated, recently shown, outside the mood); then a diversity pass that lets
/// no artist in twice, and a reason per track from the engines that contributed most.
/// </summary>
public sealed class HybridRanker
{
    private static readonly int EngineCount = EngineKinds.All.Count;
    private readonly EngineSet _engines;
    private readonly HybridOptions _options;

    /// <summary>A blend of the given engines with the options' weights (buffers and weights are indexed by <see cref="EngineKind"/>).</summary>
    public HybridRanker(EngineSet engines, HybridOptions options)
    {
        _engines = engines;
        _options = options;
    }

    /// <summary>
    /// The blended score of each of the given items for the context (no filters): a member's prediction for
    /// a group pool. On a large catalogue only the pool is scored (each engine normalised over the pool).
    /// </summary>
    public float[] Predict(ScoringContext context, IReadOnlyList<int> items)
    {
        var pool = Candidates(context, items);
        var n = pool?.Length ?? context.Catalog.Count;
        var buffers = new float[EngineCount][];
        var final = ArrayPool<float>.Shared.Rent(n);
        try
        {
            Blend(context, pool, buffers, final.AsSpan(0, n));
            return pool is null ? items.Select(i => final[i]).ToArray() : final[..n];
        }
        finally
        {
            Return(final, buffers);
        }
    }

    /// <summary>
    /// The items to score: null (every item) on a catalogue small enough for a full scan, else the
    /// given pool, or else the first stage's candidates.
    /// </summary>
    private int[]? Candidates(ScoringContext context, IReadOnlyList<int>? pool)
    {
        if (context.Catalog.Count <= _options.FullScanUpTo) return null;
        if (pool is not null) return [.. pool];
        return CandidateGenerator.For(context, _engines.Collaborative, _engines.Learned, _options.Collaborative > 0, _options.Learned > 0);
    }

    /// <remarks>
    /// This and the loops it calls once per request are optimised fully from the first call: left to tiering,
    /// their first few dozen calls ran unoptimised and then instrumented, and were the slowest in a hundred.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<Recommendation> Rank(ScoringContext context, RecommendationRequest request)
    {
        // Positions index the scored items: every item on a small catalogue, else the candidates.
        var candidates = Candidates(context, null);
        var n = candidates?.Length ?? context.Catalog.Count;
        var buffers = new float[EngineCount][];
        var final = ArrayPool<float>.Shared.Rent(n);
        try
        {
            var blended = final.AsSpan(0, n);
            var weights = Blend(context, candidates, buffers, blended);

            // What may not be offered is marked -infinity, so top-k needs no per-item test.
            if (weights[(int)EngineKind.Mood] > 0)
            {
                var mood = buffers[(int)EngineKind.Mood];
                for (var i = 0; i < n; i++)
                {
                    if (mood[i] < _options.MoodGate) blended[i] = float.NegativeInfinity;
                }
            }
            var blocked = Blocked(context, request);
            if (candidates is null)
            {
                foreach (var item in blocked) blended[item] = float.NegativeInfinity;
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    if (blocked.Contains(candidates[i])) blended[i] = float.NegativeInfinity;
                }
            }

            // Nothing personal to go on: the popular tracks (whatever popularity's blend weight), else a varied pick.
            // Popularity's own share is left out of the test, or any popularity weight would hide a newcomer.
            var coldStart = true;
            var popularityWeight = weights[(int)EngineKind.Popularity];
            var popular = buffers[(int)EngineKind.Popularity];
            for (var i = 0; i < n && coldStart; i++) coldStart = !(blended[i] - (popularityWeight > 0 ? popularityWeight * popular[i] : 0) > 0);
            var popularFallback = false;
            if (coldStart)
            {
                var popularity = buffers[(int)EngineKind.Popularity].AsSpan(0, n);
                if (weights[(int)EngineKind.Popularity] == 0)
                {
                    popularity.Clear();
                    popularFallback = Score(_engines.Popularity, context, candidates, popularity) && NormalizeByMax(popularity);
                }
                else
                {
                    popularFallback = true;
                }
                for (var i = 0; i < n; i++)
                {
                    if (float.IsNegativeInfinity(blended[i])) continue;
                    blended[i] = (popularFallback ? popularity[i] : 0) + Spread(candidates?[i] ?? i, request.UserId ?? 0);
                }
            }

            var top = TopK.Select(blended, Math.Max(request.Count * 6, 30));
            var topItems = top.ConvertAll(position => candidates?[position] ?? position);
            var positionOf = new Dictionary<int, int>(top.Count);
            for (var k = 0; k < top.Count; k++) positionOf[topItems[k]] = top[k];
            var chosen = Diversify(context, topItems, request.Count);
            var liked = coldStart ? [] : BestLiked(context);
            return chosen
                .Select(item => (Item: item, At: positionOf[item]))
                .Select(c => new Recommendation(c.Item, context.Catalog[c.Item], final[c.At], !coldStart ? Reason(context, request, liked, buffers, weights, c.Item, c.At)
                    : popularFallback ? "popular (react to teach me your taste)" : "a pick from the catalogue (react to teach me your taste)",
                    !coldStart ? TopEngine(buffers, weights, c.At) : popularFallback ? EngineKind.Popularity : null))
                .ToList();
        }
        finally
        {
            Return(final, buffers);
        }
    }

    private static bool Score(IScoringEngine engine, ScoringContext context, int[]? candidates, Span<float> scores) =>
        candidates is null ? engine.Score(context, scores) : engine.ScoreItems(context, candidates, scores);

    /// <summary>Fills each engine's max-normalised scores into rented buffers and their weighted sum into blended; returns the weights in effect.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float[] Blend(ScoringContext context, int[]? candidates, float[][] buffers, Span<float> blended)
    {
        var n = blended.Length;
        var weights = EngineKinds.All.Select(e => _options.WeightOf(e.Kind)).ToArray();
        for (var e = 0; e < EngineCount; e++)
        {
            buffers[e] = ArrayPool<float>.Shared.Rent(n);
            if (weights[e] == 0) continue;
            var scores = buffers[e].AsSpan(0, n);
            scores.Clear();
            if (!Score(_engines[(EngineKind)e], context, candidates, scores) || !NormalizeByMax(scores)) weights[e] = 0;
        }
        blended.Clear();
        for (var e = 0; e < EngineCount; e++)
        {
            if (weights[e] == 0) continue;
            var scores = buffers[e].AsSpan(0, n);
            for (var i = 0; i < n; i++) blended[i] += weights[e] * scores[i];
        }
        return weights;
    }

    private static void Return(float[] final, float[][] buffers)
    {
        ArrayPool<float>.Shared.Return(final);
        foreach (var buffer in buffers)
        {
            if (buffer is not null) ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Divides by the largest magnitude; false when every score is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool NormalizeByMax(Span<float> scores)
    {
        var max = 0f;
        foreach (var s in scores) max = Math.Max(max, Math.Abs(s));
        if (max <= 0) return false;
        var inverse = 1 / max;
        for (var i = 0; i < scores.Length; i++) scores[i] *= inverse;
        return true;
    }

    private static HashSet<int> Blocked(ScoringContext context, RecommendationRequest request)
    {
        var blocked = new HashSet<int>(context.Seeds);
        foreach (var (item, _) in context.TasteItems) blocked.Add(item);
        foreach (var trackId in context.Taste.Hidden.Concat(request.Exclude))
        {
            if (context.Catalog.TryGetItem(trackId, out var item)) blocked.Add(item);
        }
        return blocked;
    }

    /// <summary>Best first, no artist twice; when the list would come out short, the best of the rest fill it.</summary>
    internal static List<int> Diversify(ScoringContext context, List<int> candidates, int count)
    {
        var chosen = new List<int>(count);
        var artists = new HashSet<int>();
        var skipped = new List<int>();
        foreach (var item in candidates)
        {
            if (chosen.Count == count) break;
            if (artists.Add(context.Catalog.ArtistOf(item))) chosen.Add(item);
            else skipped.Add(item);
        }
        foreach (var item in skipped)
        {
            if (chosen.Count == count) break;
            chosen.Add(item);
        }
        return chosen;
    }

    /// <summary>A small deterministic per-user value: a stable, varied order when no engine has anything to say.</summary>
    private static float Spread(int item, long userId)
    {
        var h = (ulong)(item + 1) * 0x9E3779B97F4A7C15UL ^ (ulong)userId * 0xC2B2AE3D27D4EB4FUL;
        h ^= h >> 31;
        return 1e-3f * ((h % 10_000) + 1) / 10_001f;
    }

    /// <summary>The engine whose weighted score gave the item the most, or null when none gave it anything.</summary>
    private static EngineKind? TopEngine(float[][] buffers, float[] weights, int position)
    {
        EngineKind? top = null;
        var best = 0f;
        for (var e = 0; e < EngineCount; e++)
        {
            if (weights[e] <= 0) continue;
            var contribution = weights[e] * buffers[e][position];
            if (contribution > best) (top, best) = ((EngineKind)e, contribution);
        }
        return top;
    }

    private string Reason(ScoringContext context, RecommendationRequest request, List<(int Item, double Score)> liked, float[][] buffers, float[] weights, int item, int position)
    {
        var parts = Enumerable.Range(0, EngineCount)
            .Where(e => weights[e] > 0)
            .Select(e => (Engine: (EngineKind)e, Contribution: weights[e] * buffers[e][position]))
            .Where(x => x.Contribution > 0)
            .OrderByDescending(x => x.Contribution)
            .Take(2)
            .ToList();
        if (parts.Count == 0) return "a pick from the catalogue";
        var words = new List<string> { Label(context, request, liked, parts[0].Engine, item) };
        if (parts.Count > 1 && parts[1].Contribution >= _options.SecondReasonShare * parts[0].Contribution)
        {
            words.Add(Label(context, request, liked, parts[1].Engine, item));
        }
        return string.Join(" + ", words);
    }

    /// <summary>The engine's own reason, made specific where the request says more (the mood's name, the seed, the liked track).</summary>
    private static string Label(ScoringContext context, RecommendationRequest request, List<(int Item, double Score)> liked, EngineKind engine, int item) => engine switch
    {
        EngineKind.Mood => context.Mood!.Named is not null ? context.Mood.Label : $"fits \"{context.Mood.Label}\"",
        EngineKind.Content when request.Seed is not null => $"similar to {request.Seed.Label}",
        EngineKind.Content => BecauseYouLiked(context, liked, item),
        _ => engine.Describe().Reason,
    };

    /// <summary>
    /// The liked tracks a "because you liked" reason looks among: the best 25 by score, sorted once per list rather
    /// than once per track. One spare, because the track itself is never its own reason.
    /// </summary>
    private static List<(int Item, double Score)> BestLiked(ScoringContext context) =>
        context.TasteItems.Where(t => t.Score > 0).OrderByDescending(t => t.Score).Take(LikedReasons + 1).ToList();

    private const int LikedReasons = 25;

    private static string BecauseYouLiked(ScoringContext context, List<(int Item, double Score)> liked, int item)
    {
        var best = liked
            .Where(t => t.Item != item)
            .Take(LikedReasons)
            .Select(t => (t.Item, Cosine: ContentEngine.Cosine(context.Catalog, t.Item, item)))
            .OrderByDescending(t => t.Cosine)
            .FirstOrDefault();
        return best.Cosine > 0 ? $"because you liked {context.Catalog[best.Item].Title}" : EngineKind.Content.Describe().Reason;
    }
}
