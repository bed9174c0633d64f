using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Numerics;

namespace SpotMirror.Worker.Evaluation;

/// <summary>
/// Fits a tag lexicon to training artists for the predictor the product uses: an artist's mood is the
/// tag-weighted mean of its tags' places. The places minimise the squared error of that mean against
/// the artists' (standardised) Deezer moods plus λ times the squared distance from the hand lexicon
/// (or the middle): a ridge system solved exactly, once per axis. Places are mapped back to the
/// [-1, 1] plane (two standard deviations to the edge). Only training artists are ever looked at.
/// </summary>
public static class LexiconTuner
{
    /// <summary>λ of the ridge; new words need this many training artists (int.MaxValue: refit the hand words only).</summary>
    public sealed record Tuning(double Lambda = 1.0, int MinArtists = 3, float PriorMass = 0);

    public static IReadOnlyList<(string Tag, LexiconEntry Entry)> Fit(
        IReadOnlyDictionary<string, List<TagWeight>> tags,
        IReadOnlyDictionary<string, (double Valence, double Arousal)> train,
        MoodLexicon hand,
        Tuning tuning)
    {
        var shared = train.Where(kv => tags.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        double mv = shared.Average(kv => kv.Value.Valence), ma = shared.Average(kv => kv.Value.Arousal);
        double sv = StdDev(shared.Select(kv => kv.Value.Valence), mv), sa = StdDev(shared.Select(kv => kv.Value.Arousal), ma);

        // The words: the hand lexicon's, and every tag on enough training artists.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (artist, _) in shared)
        {
            foreach (var key in tags[artist].Select(t => Text.Normalize(t.Tag)).Distinct()) seen[key] = seen.GetValueOrDefault(key) + 1;
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
            var u = new Dictionary<int, double>();
            foreach (var tag in tags[artist])
            {
                if (index.TryGetValue(Text.Normalize(tag.Tag), out var j)) u[j] = u.GetValueOrDefault(j) + tag.Weight;
            }
            var total = u.Values.Sum();
            if (total <= 0) continue;
            // The predictor is Σ w p / (Σ w + prior mass): fit exactly that.
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
        return Enumerable.Range(0, n)
            .Select(j => (words[j], new LexiconEntry(new MoodPoint(Clamp(rhsV[j] / 2), Clamp(rhsA[j] / 2)), 1f)))
            .ToList();
    }

    /// <summary>
    /// Chooses the tuning on an inner split of the training artists (80% fit, 20% judge, seeded), by the
    /// sum of valence and arousal r; the held-out validation split is never looked at.
    /// </summary>
    private static readonly double[] Lambdas = [0.03, 0.1, 0.3];
    private static readonly int[] MinArtistsGrid = [5, int.MaxValue];
    private static readonly float[] PriorMasses = [3f, 10f, 30f];

    /// <summary>Where the search reports each candidate (standard error in the verb), if anywhere.</summary>
    public static Action<string>? Log { get; set; }

    public static Tuning Search(
        HetrecDataset data,
        IReadOnlyDictionary<string, (double Valence, double Arousal)> train,
        MoodLexicon hand,
        int seed = 7)
    {
        // Tag weights are plain counts: damped ones (square root, log, presence) lost in every inner comparison tried.
        var tags = MoodCheck.ArtistTags(data);
        var artists = train.Keys.Where(tags.ContainsKey).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(artists);
        var cut = artists.Length * 4 / 5;
        var fit = artists[..cut].ToDictionary(a => a, a => train[a], StringComparer.Ordinal);
        var judge = artists[cut..].ToDictionary(a => a, a => train[a], StringComparer.Ordinal);
        var best = (Score: double.NegativeInfinity, Tuning: new Tuning());
        foreach (var (lambda, minArtists, prior) in
            from l in Lambdas
            from m in MinArtistsGrid
            from p in PriorMasses
            select (l, m, p))
        {
            var tuning = new Tuning(lambda, minArtists, prior);
            var fitted = hand.With(Fit(tags, fit, hand, tuning)).WithPriorMass(prior);
            var r = MoodCheck.Correlate("inner", "inner", fitted, tags, judge);
            var score = r.ValenceR + r.ArousalR;
            if (score > best.Score) best = (score, tuning);
            Log?.Invoke($"inner {tuning}: valence r {r.ValenceR:F3}, arousal r {r.ArousalR:F3}");
        }
        return best.Tuning;
    }

    private static float Clamp(double value) => (float)Math.Clamp(value, -1, 1);

    private static double StdDev(IEnumerable<double> values, double mean)
    {
        var list = values.ToList();
        return Math.Sqrt(list.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, list.Count - 1));
    }
}
