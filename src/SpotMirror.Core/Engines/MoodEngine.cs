using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;
using System.Runtime.CompilerServices;

namespace SpotMirror.Core.Engines;

/// <summary>How well each track fits the requested mood, from its tags' place on the valence/arousal plane.</summary>
public sealed class MoodEngine : IScoringEngine
{
    /// <summary>Reach of a free-text target on the plane: beyond this distance a track does not fit at all.</summary>
    public const float FreeTextReach = 0.8f;

    [ThreadStatic]
    private static float[]? _scratch;

    public EngineKind Kind => EngineKind.Mood;

    public bool Score(ScoringContext context, Span<float> scores)
    {
        if (context.Mood is not { } target) return false;
        var catalog = context.Catalog;
        if (target.Named is { } named)
        {
            for (var m = 0; m < catalog.Moods.Count; m++)
            {
                if (catalog.Moods[m].Name != named.Name) continue;
                catalog.NamedMoodFit[m].AsSpan().CopyTo(scores);
                return true;
            }
        }
        // PlaneFit needs only the squared distance, so no square root per item.
        var valence = catalog.Valence;
        var arousal = catalog.Arousal;
        var confidence = catalog.MoodConfidence;
        var (tv, ta) = (target.Point.Valence, target.Point.Arousal);
        const float inverseReachSquared = 1f / (FreeTextReach * FreeTextReach);
        for (var i = 0; i < scores.Length; i++)
        {
            var dv = valence[i] - tv;
            var da = arousal[i] - ta;
            var d2 = ((dv * dv) + (da * da)) * inverseReachSquared;
            scores[i] = d2 >= 1 ? 0 : confidence[i] * (1 - d2);
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool ScoreItems(ScoringContext context, ReadOnlySpan<int> items, Span<float> scores)
    {
        if (context.Mood is not { } target) return false;
        var catalog = context.Catalog;
        if (target.Named is { } named && NamedIndex(catalog, named.Name) is var m and >= 0)
        {
            var fit = catalog.NamedMoodFit[m];
            for (var k = 0; k < items.Length; k++) scores[k] = fit[items[k]];
            return true;
        }
        var (tv, ta) = (target.Point.Valence, target.Point.Arousal);
        const float inverseReachSquared = 1f / (FreeTextReach * FreeTextReach);
        for (var k = 0; k < items.Length; k++)
        {
            var i = items[k];
            var dv = catalog.Valence[i] - tv;
            var da = catalog.Arousal[i] - ta;
            var d2 = ((dv * dv) + (da * da)) * inverseReachSquared;
            scores[k] = d2 >= 1 ? 0 : catalog.MoodConfidence[i] * (1 - d2);
        }
        return true;
    }

    internal static int NamedIndex(CatalogIndex catalog, string name)
    {
        for (var m = 0; m < catalog.Moods.Count; m++)
        {
            if (catalog.Moods[m].Name == name) return m;
        }
        return -1;
    }

    /// <summary>
    /// The mood engine alone: the k items that fit the target best, best first. A named mood reads a
    /// precomputed order; free text scores every item on the plane.
    /// </summary>
    public static List<(int Item, float Score)> Top(CatalogIndex catalog, MoodTarget target, int k)
    {
        if (target.Named is { } named)
        {
            for (var m = 0; m < catalog.Moods.Count; m++)
            {
                if (catalog.Moods[m].Name != named.Name) continue;
                var order = catalog.NamedMoodOrder[m];
                var fit = catalog.NamedMoodFit[m];
                return order.Take(k).Select(i => (i, fit[i])).ToList();
            }
        }
        if (_scratch is null || _scratch.Length < catalog.Count) _scratch = new float[catalog.Count];
        var scores = _scratch.AsSpan(0, catalog.Count);
        new MoodEngine().Score(new ScoringContext(catalog, Preferences.UserTaste.Empty(0), target), scores);
        var result = new List<(int Item, float Score)>(k);
        foreach (var item in Ranking.TopK.Select(scores, k)) result.Add((item, scores[item]));
        return result;
    }

    /// <summary>1 at the target, falling as the square of the distance to 0 at reach.</summary>
    public static float PlaneFit(MoodPoint point, MoodPoint target, float reach)
    {
        var d = point.DistanceTo(target) / reach;
        return d >= 1 ? 0 : 1 - (d * d);
    }
}
