using SpotMirror.Core.Engines;
using SpotMirror.Core.Evaluation;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Evaluation;

/// <summary>
/// Chooses the learned model's α0 and λ and the blend weights without peeking: a validation split is
/// carved from the training data only (the same 20% protocol, another seed), models are fitted on what
/// remains, and NDCG@10 on that validation split decides. The real test split is never read here.
/// </summary>
public static class HybridTuner
{
    public static readonly double[] Alpha0s = [0.05, 0.06, 0.075, 0.09, 0.1];
    public static readonly double[] Lambdas = [0.0075, 0.01, 0.0125, 0.015];
    private static readonly float[] CollaborativeGrid = [0f, 0.1f, 0.2f, 0.35f, 0.5f];
    private static readonly float[] ContentGrid = [0f, 0.05f, 0.1f, 0.2f, 0.35f, 0.5f];
    private static readonly float[] PopularityGrid = [0f, 0.05f, 0.1f, 0.2f];

    public static HybridOptions Tune(HetrecDataset data, Split split, int seed, HybridOptions start, Action<string>? log = null)
    {
        var validation = Holdout.Make(split.Train, seed + 1000);
        var catalog = HetrecCatalog.Build(data, validation);

        // α0 and λ first, on the learned model alone.
        var best = (Ndcg: double.NegativeInfinity, Options: start, Model: ImplicitAlsModel.Empty);
        foreach (var alpha0 in Alpha0s)
        {
            foreach (var lambda in Lambdas)
            {
                var options = start with { LearnedAlpha0 = alpha0, LearnedLambda = lambda };
                using var evaluator = new OfflineEvaluator(catalog, options);
                var ndcg = evaluator.Measure(EngineKind.Learned.Name(), evaluator.Alone(EngineKind.Learned)).Ndcg10;
                log?.Invoke(EvalVerbFormat.Invariant($"validation: learned (iALS) alpha0={alpha0} lambda={lambda} NDCG@10 {ndcg:F4} (fit {evaluator.Learned.FitTime.TotalSeconds:F1}s, {evaluator.Learned.ItemCount} items)"));
                if (ndcg > best.Ndcg) best = (ndcg, options, evaluator.Learned);
            }
        }

        // Then the blend, one weight at a time, twice round (the learned weight stays 1: the others are relative to it).
        using var blend = new OfflineEvaluator(catalog, best.Options, best.Model);
        var current = best.Options;
        var currentNdcg = double.NegativeInfinity;
        for (var round = 0; round < 2; round++)
        {
            foreach (var (engine, grid) in Coordinates)
            {
                foreach (var value in grid)
                {
                    var options = current.WithWeight(engine, value);
                    var ndcg = blend.Measure(OfflineEvaluator.Hybrid, blend.HybridWith(options)).Ndcg10;
                    if (ndcg > currentNdcg)
                    {
                        (current, currentNdcg) = (options, ndcg);
                        log?.Invoke($"validation: hybrid {Describe(current)} NDCG@10 {ndcg:F4}");
                    }
                }
            }
        }
        return current;
    }

    public static string Describe(HybridOptions o) =>
        EvalVerbFormat.Invariant($"learned={o.Learned} (iALS k {o.LearnedFactors}, alpha0 {o.LearnedAlpha0}, lambda {o.LearnedLambda}, {o.LearnedEpochs} epochs) collaborative={o.Collaborative} content={o.Content} popularity={o.Popularity}");

    /// <summary>The weights tuned after the learned model's, each over its grid (mood is not tuned: HetRec asks for no mood).</summary>
    private static readonly (EngineKind Engine, float[] Grid)[] Coordinates =
    [
        (EngineKind.Collaborative, CollaborativeGrid),
        (EngineKind.Content, ContentGrid),
        (EngineKind.Popularity, PopularityGrid),
    ];
}

internal static class EvalVerbFormat
{
    public static string Invariant(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
