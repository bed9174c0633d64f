namespace SpotMirror.Core.Engines;

using SpotMirror.Core.Preferences;

/// <summary>
/// User-based collaborative filtering: cosine between the asking user's row and every user who
/// shares a track with them (found through the track columns, never a dense scan), the top-k
/// neighbours kept, and each track scored by the sum of neighbour similarity times neighbour score.
/// </summary>
public sealed class UserKnnEngine(PreferenceMatrix preferences, int neighbours = 50) : IScoringEngine
{
    public EngineKind Kind => EngineKind.Collaborative;

    public int Neighbours { get; } = neighbours;

    public bool Score(ScoringContext context, Span<float> scores)
    {
        var contributions = Contributions(context);
        if (contributions.Count == 0) return false;
        var any = false;
        foreach (var (trackId, score) in contributions)
        {
            if (!context.Catalog.TryGetItem(trackId, out var item)) continue;
            scores[item] += (float)score;
            any = true;
        }
        return any;
    }

    public bool ScoreItems(ScoringContext context, ReadOnlySpan<int> items, Span<float> scores)
    {
        var byItem = ByItem(context);
        if (byItem.Count == 0) return false;
        for (var k = 0; k < items.Length; k++) scores[k] = byItem.GetValueOrDefault(items[k]);
        return true;
    }

    /// <summary>The neighbours' summed, similarity-weighted scores per catalogue item (sparse: only what neighbours rated).</summary>
    public Dictionary<int, float> ByItem(ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CollaborativeByItem is { } known) return known;
        var byItem = new Dictionary<int, float>();
        context.CollaborativeByItem = byItem;
        foreach (var (trackId, score) in Contributions(context))
        {
            if (context.Catalog.TryGetItem(trackId, out var item)) byItem[item] = byItem.GetValueOrDefault(item) + (float)score;
        }
        return byItem;
    }

    private List<(long TrackId, double Score)> Contributions(ScoringContext context)
    {
        if (context.Taste.IsEmpty) return [];
        var userId = context.Taste.UserId;
        var contributions = preferences.Read((rows, columns) =>
        {
            if (!rows.TryGetValue(userId, out var me) || me.Norm <= 0) return new List<(long TrackId, double Score)>();
            var dots = new Dictionary<long, double>();
            var myTracks = me.Scaled.Keys;
            var myScores = me.Scaled.Values;
            for (var j = 0; j < myTracks.Length; j++)
            {
                if (!columns.TryGetValue(myTracks[j], out var column)) continue;
                var mine = myScores[j];
                var others = column.Keys;
                var theirs = column.Values;
                for (var c = 0; c < others.Length; c++)
                {
                    if (others[c] != userId) dots[others[c]] = dots.GetValueOrDefault(others[c]) + (mine * theirs[c]);
                }
            }
            var nearest = NearestNeighbours(dots, rows, me.Norm, Neighbours);
            var result = new List<(long TrackId, double Score)>();
            foreach (var (other, similarity) in nearest)
            {
                var row = rows[other].Scaled;
                var tracks = row.Keys;
                var values = row.Values;
                for (var j = 0; j < tracks.Length; j++) result.Add((tracks[j], similarity * values[j]));
            }
            return result;
        });
        return contributions;
    }

    /// <summary>The k users with the highest positive cosine; ties broken by user id so results are stable.</summary>
    internal static List<(long UserId, double Similarity)> NearestNeighbours(
        Dictionary<long, double> dots,
        IReadOnlyDictionary<long, PreferenceMatrix.UserRow> rows,
        double myNorm,
        int k)
    {
        var heap = new PriorityQueue<(long UserId, double Similarity), (double, long)>();
        foreach (var (other, dot) in dots)
        {
            var norm = rows[other].Norm;
            if (norm <= 0 || dot <= 0) continue;
            var similarity = dot / (myNorm * norm);
            heap.Enqueue((other, similarity), (similarity, -other));
            if (heap.Count > k) heap.Dequeue();
        }
        var result = new List<(long, double)>(heap.Count);
        while (heap.TryDequeue(out var entry, out _)) result.Add(entry);
        result.Reverse();
        return result;
    }
}
