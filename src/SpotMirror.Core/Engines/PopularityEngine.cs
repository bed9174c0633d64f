using SpotMirror.Core.Preferences;

namespace SpotMirror.Core.Engines;

/// <summary>
/// Log-scaled popularity in [0, 1]: (ln(1 + listeners) + ln(1 + plays) + ln(1 + local likers)) divided
/// by the catalog's largest such value. Local likers are users holding a positive score for the track.
/// </summary>
public sealed class PopularityEngine(PreferenceMatrix preferences) : IScoringEngine
{
    public string Name => "popularity";

    public bool Score(ScoringContext context, Span<float> scores)
    {
        var catalog = context.Catalog;
        catalog.BasePopularity.AsSpan().CopyTo(scores);
        foreach (var (trackId, likers) in preferences.PositiveCounts())
        {
            if (catalog.TryGetItem(trackId, out var item)) scores[item] += (float)Math.Log(1 + likers);
        }
        var max = 0f;
        foreach (var s in scores) max = Math.Max(max, s);
        if (max <= 0) return false;
        for (var i = 0; i < scores.Length; i++) scores[i] /= max;
        return true;
    }

    /// <summary>The raw formula for one track, before normalisation.</summary>
    public static double Raw(long listeners, long plays, int localLikers) =>
        Math.Log(1 + listeners) + Math.Log(1 + plays) + Math.Log(1 + localLikers);
}
