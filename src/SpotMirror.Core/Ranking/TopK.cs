namespace SpotMirror.Core.Ranking;

/// <summary>The k best items of a dense score array, best first; ties go to the lower item index.</summary>
public static class TopK
{
    /// <summary>Items scored negative infinity are never returned.</summary>
    public static List<int> Select(ReadOnlySpan<float> scores, int k)
    {
        if (k <= 0) return [];
        var heap = new PriorityQueue<int, (float Score, int NegItem)>(k + 1);
        // The current k-th best, kept in locals: most items lose to it and cost one comparison.
        var worstScore = float.NegativeInfinity;
        var worstNegItem = int.MinValue;
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            if (heap.Count < k)
            {
                if (float.IsNegativeInfinity(score)) continue;
                heap.Enqueue(i, (score, -i));
                if (heap.Count == k) (worstScore, worstNegItem) = Peek(heap);
            }
            else if (score > worstScore || (score == worstScore && -i > worstNegItem))
            {
                heap.DequeueEnqueue(i, (score, -i));
                (worstScore, worstNegItem) = Peek(heap);
            }
        }
        var result = new List<int>(heap.Count);
        while (heap.TryDequeue(out var item, out _)) result.Add(item);
        result.Reverse();
        return result;
    }

    private static (float, int) Peek(PriorityQueue<int, (float Score, int NegItem)> heap)
    {
        heap.TryPeek(out _, out var worst);
        return worst;
    }
}
