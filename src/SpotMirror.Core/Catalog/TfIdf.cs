using System.Collections.Frozen;

namespace SpotMirror.Core.Catalog;

/// <summary>
/// Builds L2-normalised TF-IDF vectors over three feature kinds: tags ("t:rock", term frequency =
/// tag weight / the track's top tag weight), the artist ("a:queen") and title words ("w:rhapsody").
/// IDF is the smoothed ln((1 + N) / (1 + df)) + 1.
/// </summary>
internal static class TfIdf
{
    private static readonly FrozenSet<string> TitleStopWords =
        new[] { "the", "a", "an", "of", "in", "on", "and", "to", "my", "me", "you", "your", "is", "it", "for", "feat", "remix", "version", "live", "remastered" }
            .ToFrozenSet(StringComparer.Ordinal);

    public static (SparseRows Features, SparseRows Postings, FrozenDictionary<string, int> Ids) Build(
        IReadOnlyList<Track> tracks, ContentWeights weights)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var raw = new List<(int Feature, float Tf)>[tracks.Count];
        var df = new List<int>();
        for (var i = 0; i < tracks.Count; i++)
        {
            var terms = new Dictionary<int, float>();
            var track = tracks[i];
            var top = track.Tags.Count == 0 ? 1f : Math.Max(track.Tags.Max(t => t.Weight), 1e-6f);
            foreach (var tag in track.Tags)
            {
                var key = Text.Normalize(tag.Tag);
                if (key.Length > 0) Add("t:" + key, weights.Tag * tag.Weight / top);
            }
            var artist = Text.Normalize(track.Artist);
            if (artist.Length > 0) Add("a:" + artist, weights.Artist);
            foreach (var word in Text.Tokens(track.Title))
            {
                if (word.Length >= 3 && !TitleStopWords.Contains(word)) Add("w:" + word, weights.TitleWord);
            }
            raw[i] = terms.Select(kv => (kv.Key, kv.Value)).ToList();
            foreach (var feature in terms.Keys) df[feature]++;

            void Add(string feature, float tf)
            {
                if (!ids.TryGetValue(feature, out var id))
                {
                    id = ids.Count;
                    ids[feature] = id;
                    df.Add(0);
                }
                terms[id] = Math.Max(terms.GetValueOrDefault(id), tf);
            }
        }

        var n = tracks.Count;
        var offsets = new int[n + 1];
        var columns = new List<int>();
        var values = new List<float>();
        for (var i = 0; i < n; i++)
        {
            var row = raw[i]
                .Select(t => (t.Feature, Value: t.Tf * Idf(n, df[t.Feature])))
                .OrderBy(t => t.Feature)
                .ToList();
            var norm = MathF.Sqrt(row.Sum(t => t.Value * t.Value));
            foreach (var (feature, value) in row)
            {
                columns.Add(feature);
                values.Add(norm > 0 ? value / norm : 0);
            }
            offsets[i + 1] = columns.Count;
        }
        var features = new SparseRows(offsets, [.. columns], [.. values]);
        return (features, features.Transpose(ids.Count), ids.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public static float Idf(int documents, int documentFrequency) =>
        (float)(Math.Log((1.0 + documents) / (1.0 + documentFrequency)) + 1.0);
}
