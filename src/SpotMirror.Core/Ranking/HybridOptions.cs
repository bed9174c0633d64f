using SpotMirror.Core.Engines;

namespace SpotMirror.Core.Ranking;

/// <summary>
/// The blend: each engine's weight on its max-normalised scores, and the mood gate. The defaults of
/// the learned model, collaborative, content and popularity weights are the ones `eval --tune` chose
/// on the mean of three validation splits carved from HetRec's training data (seeds 42, 7, 2024); see the README.
/// </summary>
public sealed record HybridOptions
{
    // The blend weights, one per engine (the configuration keys Recommender:Mood, :Content...); each
    // engine's row in EngineKinds reads and changes its own.
    public float Mood { get; init; } = 1.0f;
    public float Content { get; init; } = 0.15f;
    public float Collaborative { get; init; }
    public float Popularity { get; init; } = 0.05f;
    /// <summary>Weight of the learned model (implicit ALS).</summary>
    public float Learned { get; init; } = 1.0f;
    /// <summary>iALS factors per user and item (k).</summary>
    public int LearnedFactors { get; init; } = 128;
    /// <summary>iALS weight α0 on every unobserved (user, item) pair.</summary>
    public double LearnedAlpha0 { get; init; } = 0.04;
    /// <summary>iALS regularisation λ, scaled per row by its frequency.</summary>
    public double LearnedLambda { get; init; } = 0.0175;
    /// <summary>iALS β: an unobserved pair weighs (the item's listeners)^β, normalised to a mean of α0 (0: all alike).</summary>
    public double LearnedUnobservedExponent { get; init; } = 0.25;
    /// <summary>iALS epochs per fit (a refit starts from the previous factors).</summary>
    public int LearnedEpochs { get; init; } = 20;
    /// <summary>Threads a background fit may use (0: every core but one, so requests keep a core).</summary>
    public int LearnedThreads { get; init; }
    /// <summary>The running bot refits the learned model at most this often, and only when preferences changed.</summary>
    public double LearnedRefreshMinutes { get; init; } = 10;
    /// <summary>With a mood asked for, a track whose mood fit is below this share of the best fit is not offered.</summary>
    public float MoodGate { get; init; } = 0.35f;
    /// <summary>A second reason is named when its contribution is at least this share of the first's.</summary>
    public float SecondReasonShare { get; init; } = 0.3f;

    /// <summary>An engine's blend weight.</summary>
    public float WeightOf(EngineKind kind) => kind.Describe().Weight(this);

    /// <summary>These options with one engine's blend weight changed.</summary>
    public HybridOptions WithWeight(EngineKind kind, float weight) => kind.Describe().WithWeight(this, weight);

    /// <summary>The iALS settings these options name.</summary>
    public ImplicitAlsSettings LearnedSettings() => new()
    {
        Factors = LearnedFactors, Alpha0 = LearnedAlpha0, Lambda = LearnedLambda, Epochs = LearnedEpochs, Threads = LearnedThreads,
        UnobservedPopularityExponent = LearnedUnobservedExponent,
    };

    /// <summary>
    /// Up to this many tracks a request scores every track (and `eval` ranks fully); above it, a request
    /// scores only the few thousand candidates of the first stage.
    /// </summary>
    public int FullScanUpTo { get; init; } = 20_000;

    /// <summary>Neighbourhood size of user-based CF.</summary>
    public int Neighbours { get; init; } = 50;
}
