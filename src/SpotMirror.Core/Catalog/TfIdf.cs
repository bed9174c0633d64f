using System.Collections.Frozen;
using System.Runtime.InteropServices;

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

    /// <remarks>
    /// Per track, no allocation but the new features' names: tags and artists are memoised per distinct string, and
    /// title words are cut from the normalised title as spans and looked up without making a string ("w:" + word
    /// is made once, for a word's first track). <paramref name="normalizedTitles"/>, when given, is each track's
    /// <see cref="Text.Normalize"/>d title (the index keeps them too, so they are normalised once).
    /// </remarks>
    public static (SparseRows Features, SparseRows Postings, FrozenDictionary<string, int> Ids) Build(
        IReadOnlyList<Track> tracks, ContentWeights weights, NormalizedText? normalized = null, IReadOnlyList<string>? normalizedTitles = null)
    {
        normalized ??= new NormalizedText();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var idsBySpan = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        var stopWords = TitleStopWords.GetAlternateLookup<ReadOnlySpan<char>>();
        // A tag's or artist's feature is the same for every track that carries it: looked up once per distinct string.
        var tagFeatures = new Dictionary<string, int>(StringComparer.Ordinal);
        var artistFeatures = new Dictionary<string, int>(StringComparer.Ordinal);
        var n = tracks.Count;
        var offsets = new int[n + 1];
        var columns = new List<int>(n * 8);
        var tfs = new List<float>(n * 8);
        var df = new List<int>();
        var word = new char[2 + 256];
        "w:".CopyTo(word);
        for (var i = 0; i < n; i++)
        {
            var start = columns.Count;
            var track = tracks[i];
            var tags = track.Tags;
            var top = tags.Count == 0 ? 1f : Math.Max(Top(tags), 1e-6f);
            for (var t = 0; t < tags.Count; t++)
            {
                var id = Memo(tagFeatures, tags[t].Tag, "t:");
                if (id >= 0) Add(id, weights.Tag * tags[t].Weight / top);
            }
            var artist = Memo(artistFeatures, track.Artist, "a:");
            if (artist >= 0) Add(artist, weights.Artist);
            var title = (normalizedTitles?[i] ?? Text.Normalize(track.Title)).AsSpan();
            foreach (var range in title.Split(' '))
            {
                var token = title[range];
                if (token.Length < 3 || stopWords.Contains(token)) continue;
                Add(token.Length <= 256 ? WordFeature(token) : FeatureId(string.Concat("w:", token)), weights.TitleWord);
            }
            for (var k = start; k < columns.Count; k++) df[columns[k]]++;
            offsets[i + 1] = columns.Count;

            void Add(int id, float tf)
            {
                for (var k = start; k < columns.Count; k++)
                {
                    if (columns[k] != id) continue;
                    tfs[k] = Math.Max(tfs[k], tf);
                    return;
                }
                columns.Add(id);
                tfs.Add(tf);
            }
        }

        var featureOf = columns.ToArray();
        var values = tfs.ToArray();
        for (var i = 0; i < n; i++)
        {
            var (start, length) = (offsets[i], offsets[i + 1] - offsets[i]);
            for (var k = start; k < start + length; k++) values[k] *= Idf(n, df[featureOf[k]]);
            Array.Sort(featureOf, values, start, length);
            var sum = 0.0;
            for (var k = start; k < start + length; k++) sum += values[k] * values[k];
            var norm = MathF.Sqrt((float)sum);
            for (var k = start; k < start + length; k++) values[k] = norm > 0 ? values[k] / norm : 0;
        }
        var features = new SparseRows(offsets, featureOf, values);
        return (features, features.Transpose(ids.Count), ids.ToFrozenDictionary(StringComparer.Ordinal));

        int Memo(Dictionary<string, int> memo, string value, string prefix)
        {
            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(memo, value, out var seen);
            if (!seen)
            {
                var key = normalized.Of(value);
                id = key.Length > 0 ? FeatureId(prefix + key) : -1;
            }
            return id;
        }

        int WordFeature(ReadOnlySpan<char> token)
        {
            token.CopyTo(word.AsSpan(2));
            var key = word.AsSpan(0, 2 + token.Length);
            return idsBySpan.TryGetValue(key, out var id) ? id : FeatureId(key.ToString());
        }

        int FeatureId(string feature)
        {
            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, feature, out var seen);
            if (!seen)
            {
                id = ids.Count - 1;
                df.Add(0);
            }
            return id;
        }
    }

    /// <summary>The largest weight, as <see cref="Enumerable.Max(IEnumerable{float})"/> gives it (a leading NaN is passed over), without its enumerator.</summary>
    private static float Top(IReadOnlyList<TagWeight> tags)
    {
        var top = tags[0].Weight;
        for (var t = 1; t < tags.Count; t++)
        {
            var weight = tags[t].Weight;
            if (weight > top || float.IsNaN(top)) top = weight;
        }
        return top;
    }

    public static float Idf(int documents, int documentFrequency) =>
        (float)(Math.Log((1.0 + documents) / (1.0 + documentFrequency)) + 1.0);
}
