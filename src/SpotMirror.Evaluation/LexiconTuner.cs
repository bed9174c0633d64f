using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Numerics;

namespace SpotMirror.Evaluation;

/// <summary>
/// Fits a tag lexicon to training artists for the predictor the product uses: an artist's mood is the
/// tag-weighted mean of its tags' places. The places minimise the squared error of that mean against
/// the artists' (standardised) Deezer moods plus λ times the squared distance from the hand lexicon
/// (or the middle): a ridge system solved exactly, once per axis. Places are mapped back to the
/// [-1, 1] plane (two standard deviations to the edge). Only training artists are ever looked at.
/// </summary>
public static class LexiconTuner
{
    /// <summary>
    /// λ of the ridge; how many training artists a new term needs (int.MaxValue: only terms the hand lexicon
    /// knows); the prior mass toward neutral; fit words rather than whole tags; weight tag counts by idf.
    /// </summary>
    public sealed record Tuning(double Lambda = 1.0, int MinArtists = 3, float PriorMass = 0, bool Words = false, bool Idf = false);

    /// <summary>
    /// The fitted lexicon. Whole-tag mode fits a place per tag (and keeps the hand entries for the rest);
    /// word mode fits a place per word and uses nothing else, so that the lexicon's own fallback (a tag is
    /// the mean of its known words) is exactly what was fitted.
    /// </summary>
    public static MoodLexicon Fit(
        IReadOnlyDictionary<string, List<TagWeight>> tags,
        IReadOnlyDictionary<string, (double Valence, double Arousal)> train,
        MoodLexicon hand,
        Tuning tuning)
    {
        var shared = train.Where(kv => tags.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        double mv = shared.Average(kv => kv.Value.Valence), ma = shared.Average(kv => kv.Value.Arousal);
        double sv = StdDev(shared.Select(kv => kv.Value.Valence), mv), sa = StdDev(shared.Select(kv => kv.Value.Arousal), ma);

        // The vocabulary: tags (or words) on enough training artists, and those the hand lexicon knows.
        string[] Terms(string tag) => tuning.Words ? Text.Tokens(tag) : [Text.Normalize(tag)];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (artist, _) in shared)
        {
            foreach (var term in tags[artist].SelectMany(t => Terms(t.Tag)).Distinct()) seen[term] = seen.GetValueOrDefault(term) + 1;
        }
        var words = seen.Where(kv => kv.Value >= tuning.MinArtists || hand.TryLookup(kv.Key, out _)).Select(kv => kv.Key)
            .Order(StringComparer.Ordinal).ToList();
        var index = words.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i, StringComparer.Ordinal);
        var n = words.Count;

        var gram = new double[n * n];
        var rhsV = new double[n];
        var rhsA = new double[n];
        foreach (var (artist, mood) in shared)
        {
            // An artist's place is Σ_t w_t · mean(places of t's known terms) / (Σ w_t over known tags + prior mass).
            var u = new Dictionary<int, double>();
            var total = 0.0;
            foreach (var tag in tags[artist])
            {
                var known = Terms(tag.Tag).Where(index.ContainsKey).Select(t => index[t]).ToList();
                if (known.Count == 0) continue;
                total += tag.Weight;
                foreach (var j in known) u[j] = u.GetValueOrDefault(j) + (tag.Weight / known.Count);
            }
            if (total <= 0) continue;
            var denominator = total + tuning.PriorMass;
            var yv = (mood.Valence - mv) / sv;
            var ya = (mood.Arousal - ma) / sa;
            foreach (var (j, wj) in u)
            {
                var uj = wj / denominator;
                rhsV[j] += uj * yv;
                rhsA[j] += uj * ya;
                foreach (var (k, wk) in u) gram[(j * n) + k] += uj * wk / denominator;
            }
        }
        for (var j = 0; j < n; j++)
        {
            var prior = hand.TryLookup(words[j], out var entry) ? entry.Point : new MoodPoint(0, 0);
            gram[(j * n) + j] += tuning.Lambda;
            rhsV[j] += tuning.Lambda * 2 * prior.Valence;
            rhsA[j] += tuning.Lambda * 2 * prior.Arousal;
        }
        Cholesky.Factor(gram, n);
        Cholesky.Solve(gram, n, rhsV);
        Cholesky.Solve(gram, n, rhsA);
        var fitted = Enumerable.Range(0, n).Select(j => (words[j], new LexiconEntry(new MoodPoint(Clamp(rhsV[j] / 2), Clamp(rhsA[j] / 2)), 1f)));
        var lexicon = tuning.Words ? new MoodLexicon(fitted.Select(f => KeyValuePair.Create(f.Item1, f.Item2))) : hand.With(fitted);
        return lexicon.WithPriorMass(tuning.PriorMass);
    }

    private static readonly bool[] Flags = [false, true];
    private static readonly double[] Lambdas = [0.03, 0.1, 0.3, 1];
    private static readonly int[] MinArtistsGrid = [5, int.MaxValue];
    private static readonly float[] PriorMasses = [3f, 10f, 30f, 100f];

    public static Tuning Search(
        HetrecDataset data,
        IReadOnlyDictionary<string, (double Valence, double Arousal)> train,
        MoodLexicon hand,
        Action<string>? log = null,
        int seed = 7)
    {
        // Tag weights are counts, or counts times idf (both searched); damped counts (square root, log,
        // presence) lost in every inner comparison tried earlier and are not searched any more.
        var tagsByIdf = Flags.ToDictionary(idf => idf, idf => MoodCheck.ArtistTags(data, idf));
        var artists = train.Keys.Where(tagsByIdf[false].ContainsKey).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(artists);
        var cut = artists.Length * 4 / 5;
        var fit = artists[..cut].ToDictionary(a => a, a => train[a], StringComparer.Ordinal);
        var judge = artists[cut..].ToDictionary(a => a, a => train[a], StringComparer.Ordinal);
        var best = (Score: double.NegativeInfinity, Tuning: new Tuning());
        foreach (var (lambda, minArtists, prior, wordMode, idf) in
            from l in Lambdas
            from m in MinArtistsGrid
            from p in PriorMasses
            from w in Flags
            from i in Flags
            select (l, m, p, w, i))
        {
            var tuning = new Tuning(lambda, minArtists, prior, wordMode, idf);
            var tags = tagsByIdf[idf];
            var fitted = Fit(tags, fit, hand, tuning);
            var r = MoodCheck.Correlate("inner", "inner", fitted, tags, judge);
            var score = r.ValenceR + r.ArousalR;
            if (score > best.Score) best = (score, tuning);
            log?.Invoke($"inner {tuning}: valence r {r.ValenceR:F3}, arousal r {r.ArousalR:F3}");
        }
        return best.Tuning;
    }

    private static float Clamp(double value) => (float)Math.Clamp(value, -1, 1);

    private static double StdDev(IEnumerable<double> values, double mean)
    {
        // A fit set whose artists all share one mood (possible on tiny samples) is left on its own scale.
        var list = values.ToList();
        var sd = Math.Sqrt(list.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, list.Count - 1));
        return sd > 0 ? sd : 1;
    }
}
