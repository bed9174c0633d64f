using SpotMirror.Core.Engines;
using System.Runtime.CompilerServices;

namespace SpotMirror.Core.Ranking;

/// <summary>
/// The first stage of a request on a large catalogue: a few thousand candidates from cheap indexes, never
/// a walk over every track. The mood's region of the plane (a named mood's best-fitting prefix, or the
/// cells around a free-text point); the seeds' and the user's liked tracks' features, each through its
/// most popular tracks; their artists; the items the user's nearest listeners rated; the items that lead
/// the learned model's strongest dimensions for this user; and the most popular tracks overall.
/// </summary>
internal static class CandidateGenerator
{
    private const int MoodShare = 1200;
    private const int TasteItems = 40;
    private const int FeaturesPerQuery = 48;
    private const int PerArtist = 12;
    private const int CollaborativeShare = 800;
    private const int LearnedDimensions = 12;
    private const int LearnedPerDimension = 80;

    public static int[] For(ScoringContext context, UserKnnEngine collaborative, LearnedEngine learned, bool useCollaborative, bool useLearned)
    {
        // One set per thread, emptied after: built afresh it grew through several resizes on every request. A cleared
        // set fills its slots in order again, so the candidates come out in the order a fresh one would give.
        var chosen = _chosen ??= [];
        try
        {
            Collect(context, collaborative, learned, useCollaborative, useLearned, chosen);
            return [.. chosen];
        }
        finally
        {
            chosen.Clear();
        }
    }

    [ThreadStatic]
    private static HashSet<int>? _chosen;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Collect(ScoringContext context, UserKnnEngine collaborative, LearnedEngine learned, bool useCollaborative, bool useLearned, HashSet<int> chosen)
    {
        var catalog = context.Catalog;
        var indexes = catalog.Candidates;

        if (context.Mood is { } target) AddMood(context, target, chosen);

        var anchors = context.Seeds.Count > 0
            ? context.Seeds.Select(i => (Item: i, Weight: 1.0)).ToList()
            : context.TasteItems.Where(t => t.Score > 0).OrderByDescending(t => t.Score).Take(TasteItems).ToList();
        if (anchors.Count > 0)
        {
            var query = ContentEngine.QueryVector(catalog, anchors);
            foreach (var feature in query.OrderByDescending(kv => kv.Value).Take(FeaturesPerQuery).Select(kv => kv.Key))
            {
                chosen.UnionWith(indexes.PopularByFeature[feature]);
            }
            foreach (var artist in anchors.Select(a => catalog.ArtistOf(a.Item)).Distinct())
            {
                chosen.UnionWith(catalog.ItemsOfArtist(artist).Take(PerArtist));
            }
        }

        if (useCollaborative && !context.Taste.IsEmpty)
        {
            chosen.UnionWith(collaborative.ByItem(context).OrderByDescending(kv => kv.Value).Take(CollaborativeShare).Select(kv => kv.Key));
        }
        if (useLearned) chosen.UnionWith(learned.Candidates(context, LearnedDimensions, LearnedPerDimension));
        chosen.UnionWith(indexes.MostPopular);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddMood(ScoringContext context, Mood.MoodTarget target, HashSet<int> chosen)
    {
        var catalog = context.Catalog;
        if (target.Named is { } named && MoodEngine.NamedIndex(catalog, named.Name) is var m and >= 0)
        {
            chosen.UnionWith(catalog.NamedMoodOrder[m].Take(MoodShare));
            return;
        }
        // The cells whose centre lies within reach of the point, nearest first, each most confident first.
        var cells = catalog.Candidates.MoodCells;
        const int n = Catalog.CandidateIndexes.Cells;
        var (tv, ta) = (target.Point.Valence, target.Point.Arousal);
        var near = new List<(int Cell, float Distance)>();
        for (var v = 0; v < n; v++)
        {
            for (var a = 0; a < n; a++)
            {
                var dv = Catalog.CandidateIndexes.CellCentre(v) - tv;
                var da = Catalog.CandidateIndexes.CellCentre(a) - ta;
                var d = MathF.Sqrt((dv * dv) + (da * da));
                if (d < MoodEngine.FreeTextReach) near.Add(((v * n) + a, d));
            }
        }
        var added = 0;
        foreach (var (cell, distance) in near.OrderBy(c => c.Distance))
        {
            var take = Math.Max(8, (int)(MoodShare / 4 * (1 - (distance / MoodEngine.FreeTextReach))));
            foreach (var item in cells[cell].Take(take))
            {
                if (chosen.Add(item)) added++;
            }
            if (added >= MoodShare) return;
        }
    }
}
