using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;

namespace SpotMirror.Evaluation;

/// <summary>How well a lexicon's per-artist valence and arousal track Deezer's, on one split.</summary>
public sealed record MoodCorrelation(string Lexicon, string Split, int Artists, double ValenceR, double ArousalR);

/// <summary>
/// The mood engine's place for each HetRec artist (its tags, weighted by how many users applied them,
/// through the lexicon) against the mean Deezer valence and arousal of that artist's tracks, for the
/// artists both data sets name alike (case-insensitive).
/// </summary>
public static class MoodCheck
{
    /// <summary>
    /// Each artist's tags (lower-cased name as key), weighted by how many users applied them; with idf,
    /// also by ln(artists / artists with the tag), so tags on everything ("rock") weigh less than rare ones.
    /// </summary>
    public static IReadOnlyDictionary<string, List<TagWeight>> ArtistTags(HetrecDataset data, bool idf = false)
    {
        var documents = data.ArtistTags.Count;
        var frequency = data.ArtistTags.Values.SelectMany(t => t.Keys).GroupBy(t => t, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        float Weight(string tag, int count) => idf ? (float)(count * Math.Log((double)documents / frequency[tag])) : count;
        return data.ArtistTags
            .GroupBy(kv => data.Artists[kv.Key].ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First().Value.Select(t => new TagWeight(t.Key, Weight(t.Key, t.Value))).Where(t => t.Weight > 0).ToList(),
                StringComparer.Ordinal);
    }

    /// <summary>Mean (valence, arousal) per lower-cased artist name.</summary>
    public static Dictionary<string, (double Valence, double Arousal)> ArtistMeans(IEnumerable<MoodReferenceTrack> tracks) =>
        tracks.GroupBy(t => t.Artist.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => (g.Average(t => t.Valence), g.Average(t => t.Arousal)), StringComparer.Ordinal);

    public static MoodCorrelation Correlate(
        string lexiconName, string split, MoodLexicon lexicon,
        IReadOnlyDictionary<string, List<TagWeight>> tags, IReadOnlyDictionary<string, (double Valence, double Arousal)> truth)
    {
        var (predicted, actual) = Pairs(lexicon, tags, truth);
        var (valence, arousal) = Correlations(predicted, actual);
        return new MoodCorrelation(lexiconName, split, predicted.Count, valence, arousal);
    }

    /// <summary>Pearson r per axis between predicted and actual (valence, arousal) pairs.</summary>
    public static (double Valence, double Arousal) Correlations(IReadOnlyList<(double V, double A)> predicted, IReadOnlyList<(double V, double A)> actual) =>
        (Pearson(predicted.Select(p => p.V).ToList(), actual.Select(a => a.V).ToList()),
         Pearson(predicted.Select(p => p.A).ToList(), actual.Select(a => a.A).ToList()));

    /// <summary>The lexicon's place and the truth, side by side, for every artist the lexicon can place.</summary>
    public static (List<(double V, double A)> Predicted, List<(double V, double A)> Actual) Pairs(
        MoodLexicon lexicon, IReadOnlyDictionary<string, List<TagWeight>> tags, IReadOnlyDictionary<string, (double Valence, double Arousal)> truth)
    {
        var predicted = new List<(double V, double A)>();
        var actual = new List<(double V, double A)>();
        foreach (var (artist, mean) in truth)
        {
            if (!tags.TryGetValue(artist, out var artistTags)) continue;
            var (point, confidence) = lexicon.Locate(artistTags);
            if (confidence <= 0) continue;
            predicted.Add((point.Valence, point.Arousal));
            actual.Add(mean);
        }
        return (predicted, actual);
    }

    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException("x and y differ in length");
        if (x.Count < 2) return double.NaN;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx <= 0 || syy <= 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
