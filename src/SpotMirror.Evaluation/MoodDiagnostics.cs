using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;

namespace SpotMirror.Evaluation;

/// <summary>Split-half agreement of an artist's Deezer tracks with each other: how much one artist's mean is worth as a truth.</summary>
public sealed record MoodReliability(int Artists, double ValenceR, double ArousalR);

/// <summary>Cross-validated r on train when each fit sees only a share of the other folds' artists.</summary>
public sealed record MoodLearningPoint(double Share, int FitArtists, int Artists, double ValenceR, double ArousalR);

/// <summary>r among the artists whose tag evidence (tag applications on HetRec) falls in [Least, Most].</summary>
public sealed record MoodEvidenceBucket(int Least, int Most, int Artists, double ValenceR, double ArousalR);

/// <summary>
/// Why the mood figures are where they are: how noisy Deezer's artist means are, whether more training
/// artists would still help (a learning curve by k-fold cross-validation inside train), and which
/// artists the error comes from (by how much tag evidence HetRec has on them).
/// </summary>
public static class MoodDiagnostics
{
    /// <summary>
    /// For each artist with two tracks or more (among those <paramref name="include"/> keeps), its tracks are
    /// shuffled and halved; r is taken between the two halves' means across artists.
    /// </summary>
    public static MoodReliability SplitHalf(IEnumerable<MoodReferenceTrack> tracks, Func<string, bool> include, int seed)
    {
        var random = new Random(seed);
        var first = new List<(double V, double A)>();
        var second = new List<(double V, double A)>();
        foreach (var group in tracks.GroupBy(t => t.Artist.ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!include(group.Key)) continue;
            var list = group.ToArray();
            if (list.Length < 2) continue;
            random.Shuffle(list);
            var half = list.Length / 2;
            first.Add(Mean(list[..half]));
            second.Add(Mean(list[half..]));
        }
        var (valence, arousal) = MoodCheck.Correlations(first, second);
        return new MoodReliability(first.Count, valence, arousal);
    }

    /// <summary>
    /// K-fold cross-validation over the train artists the tags know. Each fold is predicted by a lexicon
    /// fitted on a share of the other folds (the shares are prefixes of one shuffled order, so a larger
    /// share holds every artist of a smaller one); predictions of all folds are pooled into one r.
    /// </summary>
    public static IReadOnlyList<MoodLearningPoint> LearningCurve(
        IReadOnlyDictionary<string, List<TagWeight>> tags,
        IReadOnlyDictionary<string, (double Valence, double Arousal)> train,
        MoodLexicon hand,
        LexiconTuner.Tuning tuning,
        IReadOnlyList<double> shares,
        int folds = 5,
        int seed = 11)
    {
        var artists = train.Keys.Where(tags.ContainsKey).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(artists);
        var result = new List<MoodLearningPoint>();
        foreach (var share in shares)
        {
            var predicted = new List<(double V, double A)>();
            var actual = new List<(double V, double A)>();
            var fitted = 0;
            for (var k = 0; k < folds; k++)
            {
                var rest = artists.Where((_, i) => i % folds != k).ToArray();
                var fit = rest[..Math.Max(2, (int)(rest.Length * share))].ToDictionary(a => a, a => train[a], StringComparer.Ordinal);
                fitted += fit.Count;
                var lexicon = LexiconTuner.Fit(tags, fit, hand, tuning);
                var test = artists.Where((_, i) => i % folds == k).ToDictionary(a => a, a => train[a], StringComparer.Ordinal);
                var (p, t) = MoodCheck.Pairs(lexicon, tags, test);
                predicted.AddRange(p);
                actual.AddRange(t);
            }
            var (valence, arousal) = MoodCheck.Correlations(predicted, actual);
            result.Add(new MoodLearningPoint(share, fitted / folds, predicted.Count, valence, arousal));
        }
        return result;
    }

    /// <summary>
    /// r within buckets of tag evidence: each upper bound closes a bucket, and a last bucket takes the rest.
    /// <paramref name="applications"/> is how many tag applications each artist has.
    /// </summary>
    public static IReadOnlyList<MoodEvidenceBucket> ByEvidence(
        MoodLexicon lexicon,
        IReadOnlyDictionary<string, List<TagWeight>> tags,
        IReadOnlyDictionary<string, int> applications,
        IReadOnlyDictionary<string, (double Valence, double Arousal)> truth,
        IReadOnlyList<int> upperBounds)
    {
        var result = new List<MoodEvidenceBucket>();
        for (var b = 0; b <= upperBounds.Count; b++)
        {
            var least = b == 0 ? 0 : upperBounds[b - 1] + 1;
            var most = b == upperBounds.Count ? int.MaxValue : upperBounds[b];
            var inBucket = truth.Where(kv => applications.TryGetValue(kv.Key, out var n) && n >= least && n <= most)
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var (p, t) = MoodCheck.Pairs(lexicon, tags, inBucket);
            var (valence, arousal) = MoodCheck.Correlations(p, t);
            result.Add(new MoodEvidenceBucket(least, most, p.Count, valence, arousal));
        }
        return result;
    }

    private static (double V, double A) Mean(IReadOnlyCollection<MoodReferenceTrack> tracks) =>
        (tracks.Average(t => t.Valence), tracks.Average(t => t.Arousal));
}
