namespace SpotMirror.Core.Evaluation;

/// <summary>Top-k ranking metrics for one user: a ranked list against the set of held-out items.</summary>
public static class RankingMetrics
{
    public static double PrecisionAt(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k) =>
        (double)Hits(ranked, relevant, k) / k;

    /// <summary>Hits in the top k over all relevant items (so it cannot reach 1 when there are more than k).</summary>
    public static double RecallAt(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k) =>
        relevant.Count == 0 ? 0 : (double)Hits(ranked, relevant, k) / relevant.Count;

    /// <summary>Binary-gain NDCG: sum of 1/log2(rank+1) over hits, divided by the best possible for min(|relevant|, k) hits.</summary>
    public static double NdcgAt(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k)
    {
        if (relevant.Count == 0) return 0;
        double dcg = 0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (relevant.Contains(ranked[i])) dcg += 1 / Math.Log2(i + 2);
        }
        double ideal = 0;
        for (var i = 0; i < Math.Min(k, relevant.Count); i++) ideal += 1 / Math.Log2(i + 2);
        return dcg / ideal;
    }

    private static int Hits(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant, int k)
    {
        var hits = 0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (relevant.Contains(ranked[i])) hits++;
        }
        return hits;
    }
}
