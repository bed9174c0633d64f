using SpotMirror.Core.Preferences;

namespace SpotMirror.Benchmarks;

/// <summary>
/// The baseline for collaborative filtering, as the original service computed it: on every request,
/// pivot the preference rows into a dense user x item matrix, take the dense cosine of the asking
/// user's row with every other row, keep the k nearest, sum their rows weighted by similarity, and
/// sort every item. Deliberately simple; it is here to be measured against, not used.
/// </summary>
public static class NaiveCollaborative
{
    /// <summary>The ids of the count best-scored tracks for the user (empty for a user with no rows).</summary>
    public static long[] Recommend(IReadOnlyList<PreferenceEntry> entries, long userId, int neighbours, int count)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var users = new Dictionary<long, int>();
        var items = new Dictionary<long, int>();
        var itemIds = new List<long>();
        foreach (var entry in entries)
        {
            users.TryAdd(entry.UserId, users.Count);
            if (items.TryAdd(entry.TrackId, items.Count)) itemIds.Add(entry.TrackId);
        }
        if (!users.TryGetValue(userId, out var me)) return [];

        var width = items.Count;
        var dense = new float[checked(users.Count * width)];
        foreach (var entry in entries) dense[(users[entry.UserId] * width) + items[entry.TrackId]] = (float)entry.Score;

        var mine = dense.AsSpan(me * width, width);
        double myNorm = 0;
        for (var j = 0; j < width; j++) myNorm += mine[j] * mine[j];
        var similarity = new double[users.Count];
        for (var other = 0; other < users.Count; other++)
        {
            if (other == me) continue;
            var theirs = dense.AsSpan(other * width, width);
            double dot = 0, norm = 0;
            for (var j = 0; j < width; j++)
            {
                dot += mine[j] * theirs[j];
                norm += theirs[j] * theirs[j];
            }
            similarity[other] = myNorm > 0 && norm > 0 ? dot / Math.Sqrt(myNorm * norm) : 0;
        }

        var nearest = Enumerable.Range(0, users.Count)
            .Where(other => other != me && similarity[other] > 0)
            .OrderByDescending(other => similarity[other])
            .Take(neighbours)
            .ToList();
        var scores = new float[width];
        foreach (var other in nearest)
        {
            var theirs = dense.AsSpan(other * width, width);
            var weight = (float)similarity[other];
            for (var j = 0; j < width; j++) scores[j] += weight * theirs[j];
        }

        return Enumerable.Range(0, width)
            .OrderByDescending(j => scores[j])
            .Take(count)
            .Select(j => itemIds[j])
            .ToArray();
    }
}
