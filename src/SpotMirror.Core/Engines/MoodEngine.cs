namespace SpotMirror.Core.Engines;

using SpotMirror.Core.Mood;

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
                if (!ReferenceEquals(catalog.Moods[m], named) && catalog.Moods[m].Name != named.Name) continue;
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

    /// <summary>1 at the target, falling as the square of the distance to 0 at reach.</summary>
    public static float PlaneFit(MoodPoint point, MoodPoint target, float reach)
    {
        var d = point.DistanceTo(target) / reach;
        return d >= 1 ? 0 : 1 - (d * d);
    }
}
