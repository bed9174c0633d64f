namespace SpotMirror.Core.Catalog;

/// <summary>What "/similar X" found: one track, or all tracks of an artist.</summary>
public sealed record SeedMatch(string Label, IReadOnlyList<int> Items, bool IsArtist);

public sealed partial class CatalogIndex
{
    private const double FuzzyThreshold = 0.6;

    /// <summary>
    /// Finds a track or artist by what a person typed: "Title - Artist", "Title by Artist", an exact
    /// title, an exact artist, or (failing those) the closest title or artist by shared words.
    /// </summary>
    public SeedMatch? FindSeed(string query)
    {
        var q = Text.Normalize(query);
        if (q.Length == 0) return null;

        foreach (var separator in new[] { " - ", " by ", " – " })
        {
            var at = query.LastIndexOf(separator, StringComparison.OrdinalIgnoreCase);
            if (at <= 0) continue;
            var title = Text.Normalize(query[..at]);
            var artist = Text.Normalize(query[(at + separator.Length)..]);
            if (_artistByName.TryGetValue(artist, out var a))
            {
                var hit = _itemsByArtist[a].Where(i => _normalizedTitles[i] == title).ToList();
                if (hit.Count > 0) return TrackMatch(hit[0]);
            }
        }

        for (var i = 0; i < _tracks.Length; i++)
        {
            if (_normalizedTitles[i] == q) return TrackMatch(i);
        }
        if (_artistByName.TryGetValue(q, out var exactArtist)) return ArtistMatch(exactArtist);

        var best = Closest(q, 1).FirstOrDefault();
        return best.Score >= FuzzyThreshold ? best.Match : null;
    }

    /// <summary>Every track whose title is exactly this (normalised), in catalogue order; more than one means the title alone does not say which.</summary>
    public IReadOnlyList<int> TitledExactly(string title)
    {
        var q = Text.Normalize(title);
        var found = new List<int>();
        for (var i = 0; i < _tracks.Length; i++)
        {
            if (_normalizedTitles[i] == q) found.Add(i);
        }
        return found;
    }

    /// <summary>The names closest to an unknown query, for a "did you mean".</summary>
    public IReadOnlyList<string> Suggest(string query, int count = 3) =>
        Closest(Text.Normalize(query), count).Where(c => c.Score > 0.2).Select(c => c.Match.Label).ToList();

    /// <summary>The id of tag feature "t:tag", or -1 when no track carries the tag.</summary>
    internal int TagFeature(string tag) => FeatureIds.GetValueOrDefault("t:" + Text.Normalize(tag), -1);

    public bool HasTag(string tag) => TagFeature(tag) >= 0;

    private SeedMatch TrackMatch(int item) => new($"{_tracks[item].Title} - {_tracks[item].Artist}", [item], false);

    private SeedMatch ArtistMatch(int artist) => new(_artistNames[artist], _itemsByArtist[artist], true);

    private List<(SeedMatch Match, double Score)> Closest(string q, int count)
    {
        var words = q.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (words.Count == 0) return [];
        var titles = Enumerable.Range(0, _tracks.Length)
            .Select(i => (Match: (Func<SeedMatch>)(() => TrackMatch(i)), Score: Similarity(words, q, _normalizedTitles[i])));
        var artists = _artistByName
            .Select(kv => (Match: (Func<SeedMatch>)(() => ArtistMatch(kv.Value)), Score: Similarity(words, q, kv.Key)));
        return titles.Concat(artists)
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .Take(count)
            .Select(x => (x.Match(), x.Score))
            .ToList();
    }

    /// <summary>Dice overlap of words, with a near-whole-string edit distance counting as a match.</summary>
    private static double Similarity(HashSet<string> queryWords, string query, string candidate)
    {
        if (candidate.Length == 0) return 0;
        if (Math.Abs(candidate.Length - query.Length) <= 2 && Text.EditDistance(query, candidate) <= Math.Max(1, query.Length / 6))
        {
            return 0.9;
        }
        var candidateWords = candidate.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var shared = candidateWords.Count(queryWords.Contains);
        return shared == 0 ? 0 : 2.0 * shared / (queryWords.Count + candidateWords.Length);
    }
}
