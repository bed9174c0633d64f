namespace SpotMirror.Core.Catalog;

public sealed partial class CatalogIndex
{
    private Lazy<(string Key, string Label)[]>? _completions;

    /// <summary>
    /// Names that start with what a person has typed so far ("nig" finds "Nightcall - Kavinsky"), or whose
    /// later word does ("punk" finds "Daft Punk"): artists first, then tracks. A binary search over a sorted
    /// list built once per catalogue snapshot, so typing never walks the catalogue.
    /// </summary>
    public IReadOnlyList<string> Complete(string typed, int count = 8)
    {
        var prefix = Text.Normalize(typed);
        if (prefix.Length == 0 || count <= 0) return [];
        var entries = (_completions ??= new Lazy<(string, string)[]>(BuildCompletions)).Value;
        var lo = 0;
        var hi = entries.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (string.CompareOrdinal(entries[mid].Key, prefix) < 0) lo = mid + 1;
            else hi = mid;
        }
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = lo; i < entries.Length && found.Count < count * 4 && entries[i].Key.StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            if (seen.Add(entries[i].Label)) found.Add(entries[i].Label);
        }
        // Artists (no " - ") before tracks, and whole-name matches before later-word ones, shortest first.
        return found
            .OrderBy(label => label.Contains(" - ", StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(label => Text.Normalize(label).StartsWith(prefix, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(label => label.Length)
            .Take(count)
            .ToList();
    }

    private (string Key, string Label)[] BuildCompletions()
    {
        var entries = new List<(string Key, string Label)>();
        for (var i = 0; i < _tracks.Length; i++) AddWordStarts(_normalizedTitles[i], $"{_tracks[i].Title} - {_tracks[i].Artist}");
        foreach (var (name, artist) in _artistByName) AddWordStarts(name, _artistNames[artist]);
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return [.. entries];

        void AddWordStarts(string key, string label)
        {
            if (key.Length == 0) return;
            entries.Add((key, label));
            for (var at = key.IndexOf(' ', StringComparison.Ordinal); at >= 0 && at + 1 < key.Length; at = key.IndexOf(' ', at + 1))
            {
                entries.Add((key[(at + 1)..], label));
            }
        }
    }
}
