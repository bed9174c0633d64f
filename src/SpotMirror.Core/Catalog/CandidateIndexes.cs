namespace SpotMirror.Core.Catalog;

/// <summary>
/// The cheap indexes that the first stage of a request draws candidates from, so that no request walks
/// every track: per feature (tag, artist or title word), its most popular tracks; the mood plane cut into
/// cells, each cell's tracks most confident first; and the most popular tracks overall. Built once per
/// catalogue snapshot, on first use.
/// </summary>
internal sealed class CandidateIndexes
{
    public const int PerFeature = 64;
    public const int Popular = 400;
    public const int Cells = 24;

    private CandidateIndexes(int[][] popularByFeature, int[][] cells, int[] popular)
    {
        PopularByFeature = popularByFeature;
        MoodCells = cells;
        MostPopular = popular;
    }

    /// <summary>Per feature, up to <see cref="PerFeature"/> items carrying it, most popular first.</summary>
    public int[][] PopularByFeature { get; }

    /// <summary>Cells x Cells cells over valence and arousal in [-1, 1], row-major by valence.</summary>
    public int[][] MoodCells { get; }

    public int[] MostPopular { get; }

    public static int CellOf(float value) => Math.Clamp((int)((value + 1) / 2 * Cells), 0, Cells - 1);

    public static float CellCentre(int cell) => ((cell + 0.5f) / Cells * 2) - 1;

    public static CandidateIndexes Build(CatalogIndex catalog)
    {
        var popularity = catalog.BasePopularity;
        var postings = catalog.Postings;
        var byFeature = new int[postings.RowCount][];
        for (var f = 0; f < byFeature.Length; f++) byFeature[f] = Best(postings.ColumnsOf(f), popularity, PerFeature);

        var cellLists = new List<int>[Cells * Cells];
        for (var i = 0; i < catalog.Count; i++)
        {
            if (catalog.MoodConfidence[i] <= 0) continue;
            (cellLists[(CellOf(catalog.Valence[i]) * Cells) + CellOf(catalog.Arousal[i])] ??= []).Add(i);
        }
        var cells = cellLists.Select(l =>
        {
            if (l is null) return Array.Empty<int>();
            var items = l.ToArray();
            var keys = items.Select(i => -catalog.MoodConfidence[i]).ToArray();
            Array.Sort(keys, items);
            return items;
        }).ToArray();

        var all = Enumerable.Range(0, catalog.Count).ToArray();
        return new CandidateIndexes(byFeature, cells, Best(all, popularity, Popular));
    }

    private static int[] Best(ReadOnlySpan<int> items, float[] popularity, int k)
    {
        if (items.Length <= k)
        {
            var copy = items.ToArray();
            var keys = copy.Select(i => -popularity[i]).ToArray();
            Array.Sort(keys, copy);
            return copy;
        }
        var scores = new float[items.Length];
        for (var j = 0; j < items.Length; j++) scores[j] = popularity[items[j]];
        var top = Ranking.TopK.Select(scores, k);
        var result = new int[top.Count];
        for (var j = 0; j < top.Count; j++) result[j] = items[top[j]];
        return result;
    }
}
