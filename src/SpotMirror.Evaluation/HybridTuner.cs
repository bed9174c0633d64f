using SpotMirror.Core.Engines;
using SpotMirror.Core.Evaluation;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Evaluation;

/// <summary>
/// Chooses the learned model's α0, λ and β and the blend weights without peeking: for each seed, a
/// validation split is carved from that seed's training data only (the same 20% protocol, seed + 1000),
/// models are fitted on what remains, and the mean NDCG@10 over the seeds' validation splits decides.
/// No test split is read here.
/// </summary>
public static class HybridTuner
{
    public static readonly double[] Alpha0s = [0.04, 0.05, 0.06];
    public static readonly double[] Lambdas = [0.0125, 0.015, 0.0175];
    public static readonly double[] UnobservedExponents = [0, 0.25, 0.3, 0.35];
    private static readonly float[] CollaborativeGrid = [0f, 0.05f, 0.1f];
    private static readonly float[] ContentGrid = [0f, 0.1f, 0.15f, 0.2f, 0.25f, 0.35f];
    private static readonly float[] PopularityGrid = [0f, 0.05f];

    /// <summary>The seed's validation split: carved from the training part of the seed's evaluation split.</summary>
    public static HetrecCatalog Validation(HetrecDataset data, int seed)
    {
        var split = Holdout.Make(HetrecCatalog.ItemsByUser(data), seed);
        return HetrecCatalog.Build(data, Holdout.Make(split.Train, seed + 1000));
    }

    public static HybridOptions Tune(HetrecDataset data, IReadOnlyList<int> seeds, HybridOptions start, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var catalogs = seeds.Select(seed => Validation(data, seed)).ToArray();
        var on = $"mean of {catalogs.Length} validation split(s)";

        // α0 and λ first, on the learned model alone at the starting β; then β at the best of them.
        var best = (Ndcg: double.NegativeInfinity, Options: start, Models: Array.Empty<ImplicitAlsModel>());
        void Try(HybridOptions options)
        {
            var models = new ImplicitAlsModel[catalogs.Length];
            var sum = 0.0;
            for (var s = 0; s < catalogs.Length; s++)
            {
                using var evaluator = new OfflineEvaluator(catalogs[s], options);
                sum += evaluator.Measure(EngineKind.Learned.Name(), evaluator.Alone(EngineKind.Learned)).Ndcg10;
                models[s] = evaluator.Learned;
            }
            var ndcg = sum / catalogs.Length;
            log?.Invoke(EvalVerbFormat.Invariant($"validation ({on}): learned (iALS) alpha0={options.LearnedAlpha0} lambda={options.LearnedLambda} beta={options.LearnedUnobservedExponent} NDCG@10 {ndcg:F5}"));
            if (ndcg > best.Ndcg) best = (ndcg, options, models);
        }
        foreach (var alpha0 in Alpha0s)
        {
            foreach (var lambda in Lambdas) Try(start with { LearnedAlpha0 = alpha0, LearnedLambda = lambda });
        }
        var atBest = best.Options;
        foreach (var beta in UnobservedExponents.Where(b => b != atBest.LearnedUnobservedExponent)) Try(atBest with { LearnedUnobservedExponent = beta });

        // Then the blend, one weight at a time, content first (the learned weight stays 1: the others are relative to it).
        var blends = catalogs.Select((c, s) => new OfflineEvaluator(c, best.Options, best.Models[s])).ToArray();
        try
        {
            var current = best.Options;
            var currentNdcg = double.NegativeInfinity;
            foreach (var (engine, grid) in Coordinates)
            {
                foreach (var value in grid)
                {
                    var options = current.WithWeight(engine, value);
                    var ndcg = blends.Average(b => b.Measure(OfflineEvaluator.Hybrid, b.HybridWith(options)).Ndcg10);
                    log?.Invoke(EvalVerbFormat.Invariant($"validation ({on}): hybrid {Describe(options)} NDCG@10 {ndcg:F5}"));
                    if (ndcg > currentNdcg) (current, currentNdcg) = (options, ndcg);
                }
            }
            return current;
        }
        finally
        {
            foreach (var blend in blends) blend.Dispose();
        }
    }

    public static string Describe(HybridOptions o) =>
        EvalVerbFormat.Invariant($"learned={o.Learned} (iALS k {o.LearnedFactors}, alpha0 {o.LearnedAlpha0}, lambda {o.LearnedLambda}, beta {o.LearnedUnobservedExponent}, {o.LearnedEpochs} epochs) collaborative={o.Collaborative} content={o.Content} popularity={o.Popularity}");

    /// <summary>The weights tuned after the learned model's, each over its grid (mood is not tuned: HetRec asks for no mood).</summary>
    private static readonly (EngineKind Engine, float[] Grid)[] Coordinates =
    [
        (EngineKind.Content, ContentGrid),
        (EngineKind.Collaborative, CollaborativeGrid),
        (EngineKind.Popularity, PopularityGrid),
    ];
}

internal static class EvalVerbFormat
{
    public static string Invariant(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
