using SpotMirror.Core.Catalog;
using SpotMirror.Core.Preferences;
using System.Runtime.CompilerServices;

namespace SpotMirror.Core.Engines;

/// <summary>
/// Log-scaled popularity in [0, 1]: (ln(1 + listeners) + ln(1 + plays) + ln(1 + local likers)) divided
/// by the catalog's largest such value. Local likers are users holding a positive score for the track.
/// The array is computed once per catalog snapshot and preference version, not per request.
/// </summary>
public sealed class PopularityEngine(PreferenceMatrix preferences) : IScoringEngine
{
    private sealed record Snapshot(CatalogIndex Catalog, long Version, float[] Scores, bool Any);

    private volatile Snapshot? _snapshot;

    public EngineKind Kind => EngineKind.Popularity;

    public bool Score(ScoringContext context, Span<float> scores)
    {
        var current = Current(context.Catalog);
        if (!current.Any) return false;
        current.Scores.AsSpan().CopyTo(scores);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool ScoreItems(ScoringContext context, ReadOnlySpan<int> items, Span<float> scores)
    {
        var current = Current(context.Catalog);
        if (!current.Any) return false;
        for (var k = 0; k < items.Length; k++) scores[k] = current.Scores[items[k]];
        return true;
    }

    /// <summary>Normalised popularity per item (read only), and whether any item has any.</summary>
    public (float[] Scores, bool Any) Current(CatalogIndex catalog)
    {
        var snapshot = _snapshot;
        var version = preferences.Version;
        if (snapshot is null || !ReferenceEquals(snapshot.Catalog, catalog) || snapshot.Version != version)
        {
            snapshot = Compute(catalog, version);
            _snapshot = snapshot;
        }
        return (snapshot.Scores, snapshot.Any);
    }

    private Snapshot Compute(CatalogIndex catalog, long version)
    {
        var scores = (float[])catalog.BasePopularity.Clone();
        preferences.ReadPositiveCounts(counts =>
        {
            foreach (var (trackId, likers) in counts)
            {
                if (catalog.TryGetItem(trackId, out var item)) scores[item] += (float)Math.Log(1 + likers);
            }
            return 0;
        });
        var max = 0f;
        foreach (var s in scores) max = Math.Max(max, s);
        if (max > 0)
        {
            for (var i = 0; i < scores.Length; i++) scores[i] /= max;
        }
        return new Snapshot(catalog, version, scores, max > 0);
    }

    /// <summary>The raw formula for one track, before normalisation.</summary>
    public static double Raw(long listeners, long plays, int localLikers) =>
        Math.Log(1 + listeners) + Math.Log(1 + plays) + Math.Log(1 + localLikers);
}
