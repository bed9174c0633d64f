using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;

namespace SpotMirror.Core.Engines;

/// <summary>How well each track fits the requested mood, from its tags' place on the valence/arousal plane.</summary>
public sealed class MoodEngine : IScoringEngine
{
    /// <summary>Reach of a free-text target on the plane: beyond this distance a track does not fit at all.</summary>
    public const float FreeTextReach = 0.8f;

    public string Name => "mood";

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
        var valence = catalog.Valence;
        var arousal = catalog.Arousal;
        var confidence = catalog.MoodConfidence;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = confidence[i] * PlaneFit(new MoodPoint(valence[i], arousal[i]), target.Point, FreeTextReach);
        }
        return true;
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
        var scores = new float[catalog.Count];
        new MoodEngine().Score(new ScoringContext(catalog, Preferences.UserTaste.Empty(0), target), scores);
        return Ranking.TopK.Select(scores, k).Select(i => (i, scores[i])).ToList();
    }

    /// <summary>1 at the target, falling as the square of the distance to 0 at reach.</summary>
    public static float PlaneFit(MoodPoint point, MoodPoint target, float reach)
    {
        var d = point.DistanceTo(target) / reach;
        return d >= 1 ? 0 : 1 - (d * d);
    }
}
