namespace SpotMirror.Core.Catalog;

/// <summary>
/// Names to complete what a person is typing ("nightc" → "Nightcall - Kavinsky"): tracks as "Title - Artist"
/// and artists, matched from the start of any word, then (when that finds too few) by a near miss of the
/// typed text against a name's first letters. Memory only: a sorted key array searched by binary search.
/// </summary>
public sealed class Completion
{
    private readonly string[] _keys;
    private readonly int[] _names;
    private readonly string[] _labels;
    private readonly string[] _normalizedLabels;

    private Completion(string[] keys, int[] names, string[] labels, string[] normalizedLabels)
    {
        _keys = keys;
        _names = names;
        _labels = labels;
        _normalizedLabels = normalizedLabels;
    }

    /// <summary>Indexes every track and artist: one key per word start of each name, so "punk" finds "Daft Punk".</summary>
    public static Completion Build(IReadOnlyList<Track> tracks, IReadOnlyList<string> artists)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(artists);
        var labels = new List<string>(artists.Count + tracks.Count);
        labels.AddRange(artists);
        labels.AddRange(tracks.Select(t => $"{t.Title} - {t.Artist}"));
        var normalized = labels.Select(Text.Normalize).ToArray();
        var entries = new List<(string Key, int Name)>();
        for (var n = 0; n < normalized.Length; n++)
        {
            var name = normalized[n];
            for (var i = 0; i < name.Length; i++)
            {
                if (i == 0 || name[i - 1] == ' ') entries.Add((name[i..], n));
            }
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key) is var c and not 0 ? c : a.Name.CompareTo(b.Name));
        return new Completion([.. entries.Select(e => e.Key)], [.. entries.Select(e => e.Name)], [.. labels], normalized);
    }

    /// <summary>Up to <paramref name="max"/> names for the typed text: whole-name prefixes first, then word prefixes, then near misses.</summary>
    public IReadOnlyList<string> Complete(string typed, int max)
    {
        var q = Text.Normalize(typed);
        if (q.Length == 0 || max <= 0) return [];
        var found = new List<int>();
        var seen = new HashSet<int>();
        var start = LowerBound(q);
        var wordHits = new List<int>();
        for (var i = start; i < _keys.Length && _keys[i].StartsWith(q, StringComparison.Ordinal); i++)
        {
            if (!seen.Add(_names[i])) continue;
            if (_normalizedLabels[_names[i]].StartsWith(q, StringComparison.Ordinal)) found.Add(_names[i]);
            else wordHits.Add(_names[i]);
            if (found.Count >= max) break;
        }
        found.AddRange(wordHits.Take(max - found.Count));
        if (found.Count < max && q.Length >= 3) Fuzzy(q, max, found, seen);
        return found.Take(max).Select(n => _labels[n]).ToList();
    }

    /// <summary>A typo in what was typed: names whose first letters are one edit (two for longer text) away.</summary>
    private void Fuzzy(string q, int max, List<int> found, HashSet<int> seen)
    {
        var allowed = q.Length >= 8 ? 2 : 1;
        for (var n = 0; n < _normalizedLabels.Length && found.Count < max; n++)
        {
            var name = _normalizedLabels[n];
            if (seen.Contains(n) || name.Length < q.Length - allowed) continue;
            var head = name.Length <= q.Length ? name : name[..q.Length];
            if (Text.EditDistance(q, head) <= allowed && seen.Add(n)) found.Add(n);
        }
    }

    private int LowerBound(string q)
    {
        int lo = 0, hi = _keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_keys[mid], q) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
