namespace SpotMirror.Core.Engines;

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SpotMirror.Core.Preferences;

/// <summary>
/// User-based collaborative filtering: cosine between the asking user's row and every user who
/// shares a track with them (found through the track columns, never a dense scan), the top-k
/// neighbours kept, and each track scored by the sum of neighbour similarity times neighbour score.
/// </summary>
public sealed class UserKnnEngine(PreferenceMatrix preferences, int neighbours = 50) : IScoringEngine
{
    // At a million tracks a user with a hundred likes shares a track with tens of thousands of others: a fresh
    // dictionary per request grew through the large object heap several times. One per thread, cleared after use.
    [ThreadStatic]
    private static Dictionary<long, double>? _dots;

    public EngineKind Kind => EngineKind.Collaborative;

    public int Neighbours { get; } = neighbours;

    public bool Score(ScoringContext context, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Taste.IsEmpty) return false;
        var userId = context.Taste.UserId;
        // A full scan scatters straight into the scores (no per-item dictionary), outside the lock.
        var contributions = preferences.Read((rows, columns) =>
        {
            var result = new List<(long TrackId, double Score)>();
            foreach (var (other, similarity) in NearestOf(rows, columns, userId))
            {
                var row = rows[other].Scaled;
                var tracks = row.Keys;
                var values = row.Values;
                for (var j = 0; j < tracks.Length; j++) result.Add((tracks[j], similarity * values[j]));
            }
            return result;
        });
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
        if (context.Taste.IsEmpty) return byItem;
        var userId = context.Taste.UserId;
        var catalog = context.Catalog;
        preferences.Read((rows, columns) =>
        {
            // Neighbour by neighbour, track by track, summed in float: the order the scores always had.
            foreach (var (other, similarity) in NearestOf(rows, columns, userId))
            {
                var row = rows[other].Scaled;
                var tracks = row.Keys;
                var values = row.Values;
                for (var j = 0; j < tracks.Length; j++)
                {
                    if (catalog.TryGetItem(tracks[j], out var item)) CollectionsMarshal.GetValueRefOrAddDefault(byItem, item, out _) += (float)(similarity * values[j]);
                }
            }
            return byItem.Count;
        });
        return byItem;
    }

    /// <remarks>
    /// Fully optimised from the first call: a once-per-request method with long loops otherwise runs its first
    /// few dozen calls unoptimised and then instrumented, and those calls were the slowest in a hundred.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<(long UserId, double Similarity)> NearestOf(
        IReadOnlyDictionary<long, PreferenceMatrix.UserRow> rows,
        IReadOnlyDictionary<long, PreferenceMatrix.TrackColumn> columns,
        long userId)
    {
        if (!rows.TryGetValue(userId, out var me) || me.Norm <= 0) return [];
        var dots = _dots ??= [];
        try
        {
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
                    if (others[c] != userId) CollectionsMarshal.GetValueRefOrAddDefault(dots, others[c], out _) += mine * theirs[c];
                }
            }
            return NearestNeighbours(dots, rows, me.Norm, Neighbours);
        }
        finally
        {
            dots.Clear();
        }
    }

    /// <summary>The k users with the highest positive cosine; ties broken by user id so results are stable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static List<(long UserId, double Similarity)> NearestNeighbours(
        Dictionary<long, double> dots,
        IReadOnlyDictionary<long, PreferenceMatrix.UserRow> rows,
        double myNorm,
        int k)
    {
        var heap = new PriorityQueue<(long UserId, double Similarity), (double, long)>(k + 1);
        foreach (var (other, dot) in dots)
        {
            if (dot <= 0) continue;
            var norm = rows[other].Norm;
            if (norm <= 0) continue;
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
