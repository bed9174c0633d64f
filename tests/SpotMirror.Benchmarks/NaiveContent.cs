using SpotMirror.Core.Catalog;

namespace SpotMirror.Benchmarks;

/// <summary>
/// The baseline for content similarity, as the original Python service computed it: on every request,
/// a vocabulary of the catalogue's tags, a dense TF-IDF vector per track (TF = tag weight / the track's
/// top weight, smoothed IDF, L2-normalised), the cosine of the seed with every track, and a full sort.
/// Deliberately simple; it is here to be measured against, not used.
/// </summary>
public static class NaiveContent
{
    /// <summary>The ids of the count tracks most similar to the seed item (itself left out).</summary>
    public static long[] Similar(IReadOnlyList<Track> tracks, int seed, int count)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var track in tracks)
        {
            foreach (var tag in track.Tags) vocabulary.TryAdd(tag.Tag.ToLowerInvariant(), vocabulary.Count);
        }

        var n = tracks.Count;
        var width = vocabulary.Count;
        var dense = new float[checked(n * width)];
        var documentFrequency = new int[width];
        for (var i = 0; i < n; i++)
        {
            var tags = tracks[i].Tags;
            var top = 1e-6f;
            foreach (var tag in tags) top = Math.Max(top, tag.Weight);
            foreach (var tag in tags)
            {
                var at = (i * width) + vocabulary[tag.Tag.ToLowerInvariant()];
                if (dense[at] == 0) documentFrequency[at - (i * width)]++;
                dense[at] = Math.Max(dense[at], tag.Weight / top);
            }
        }

        var idf = new float[width];
        for (var c = 0; c < width; c++) idf[c] = (float)(Math.Log((1.0 + n) / (1.0 + documentFrequency[c])) + 1.0);
        for (var i = 0; i < n; i++)
        {
            var row = dense.AsSpan(i * width, width);
            double norm = 0;
            for (var c = 0; c < width; c++)
            {
                row[c] *= idf[c];
                norm += row[c] * row[c];
            }
            if (norm <= 0) continue;
            var inverse = (float)(1 / Math.Sqrt(norm));
            for (var c = 0; c < width; c++) row[c] *= inverse;
        }

        var query = dense.AsSpan(seed * width, width).ToArray();
        var scores = new float[n];
        for (var i = 0; i < n; i++)
        {
            var row = dense.AsSpan(i * width, width);
            float dot = 0;
            for (var c = 0; c < width; c++) dot += row[c] * query[c];
            scores[i] = dot;
        }

        return Enumerable.Range(0, n)
            .Where(i => i != seed)
            .OrderByDescending(i => scores[i])
            .Take(count)
            .Select(i => tracks[i].Id)
            .ToArray();
    }
}
