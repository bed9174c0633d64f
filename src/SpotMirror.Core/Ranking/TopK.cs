namespace SpotMirror.Core.Ranking;

/// <summary>The k best items of a dense score array, best first; ties go to the lower item index.</summary>
public static class TopK
{
    public static List<int> Select(ReadOnlySpan<float> scores, int k, Func<int, bool>? allowed = null)
    {
        var heap = new PriorityQueue<int, (float Score, int NegItem)>(k + 1);
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            if (float.IsNegativeInfinity(score) || (allowed is not null && !allowed(i))) continue;
            if (heap.Count < k)
            {
                heap.Enqueue(i, (score, -i));
            }
            else if (heap.TryPeek(out _, out var worst) && (score > worst.Score || (score == worst.Score && -i > worst.NegItem)))
            {
                heap.DequeueEnqueue(i, (score, -i));
            }
        }
        var result = new List<int>(heap.Count);
        while (heap.TryDequeue(out var item, out _)) result.Add(item);
        result.Reverse();
        return result;
    }
}
