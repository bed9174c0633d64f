using System.Diagnostics;
using SpotMirror.Core;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Evaluation;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.UseCases;

namespace SpotMirror.Evaluation;

/// <summary>The figures of one engine over every evaluated user.</summary>
public sealed record EngineFigures(string Engine, double P10, double R10, double R20, double Ndcg10, double Coverage, double Seconds, int Users);

/// <summary>
/// Full-ranking evaluation: every engine ranks all items for each evaluated user, the user's training
/// items excluded, and the top 20 are scored against the held-out items. The engines are the bot's
/// own Core code over a CatalogIndex and PreferenceMatrix built from the training split; the hybrid is
/// asked through the recommend use case, as the bot asks it.
/// </summary>
public sealed class OfflineEvaluator : IDisposable
{
    public const int Depth = 20;
    private static readonly DateTimeOffset At = new(2011, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly HetrecCatalog _data;
    private readonly PreferenceMatrix _matrix;
    private readonly HybridOptions _options;

    public OfflineEvaluator(HetrecCatalog data, HybridOptions options, ImplicitAlsModel? learned = null)
    {
        _data = data;
        _options = options;
        _matrix = new PreferenceMatrix(new PreferenceLearner(new LearningOptions()), At);
        _matrix.Load(HetrecCatalog.TrainEntries(data.Split, At));
        Recommender = new Recommender(data.Index, _matrix, options);
        Learned = learned ?? Recommender.FitLearned(options.LearnedSettings());
        Recommender.Learned.Publish(Learned);
        _recommend = new RecommendUseCase(Recommender, options);
    }

    private readonly RecommendUseCase _recommend;

    public Recommender Recommender { get; }

    /// <summary>The learned model fitted on the training split (its fit time and size are reported).</summary>
    public ImplicitAlsModel Learned { get; }

    /// <summary>The same training data and learned model, blended with other weights (for tuning).</summary>
    public Func<int, float[], IReadOnlyList<int>> HybridWith(HybridOptions options)
    {
        var recommender = new Recommender(_data.Index, _matrix, options);
        recommender.Learned.Publish(Learned);
        var recommend = new RecommendUseCase(recommender, options);
        return (user, _) => recommend.Personal(user, Depth).Select(r => r.Item).ToList();
    }

    /// <summary>The name `eval` gives the blend of every engine.</summary>
    public const string Hybrid = "hybrid";

    /// <summary>
    /// What `eval` reports, by engine name, as functions from a user to a top-20 of item indices: each
    /// engine the bot blends, alone (mood needs a mood asked for, so it has no row), then the hybrid.
    /// </summary>
    public IReadOnlyList<(string Name, Func<int, float[], IReadOnlyList<int>> Rank)> Engines() =>
    [
        .. EngineKinds.All.Where(e => e.Kind != EngineKind.Mood).Select(e => (e.Name, Dense(Recommender.Engines[e.Kind]))),
        (Hybrid, (user, _) => _recommend.Personal(user, Depth).Select(r => r.Item).ToList()),
    ];

    /// <summary>One engine alone, ranked as <see cref="Engines"/> ranks it.</summary>
    public Func<int, float[], IReadOnlyList<int>> Alone(EngineKind kind) => Dense(Recommender.Engines[kind]);

    public EngineFigures Measure(string name, Func<int, float[], IReadOnlyList<int>> rank, IProgress<int>? progress = null)
    {
        var users = _data.Split.Test.Keys.Order().ToArray();
        var relevant = users.ToDictionary(u => u, u => (IReadOnlySet<int>)_data.Split.Test[u].Select(Item).ToHashSet());
        var sums = new double[4];
        var shown = new HashSet<int>();
        var done = 0;
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(users, () => (Scores: new float[_data.Index.Count], Sums: new double[4], Shown: new HashSet<int>()), (user, _, local) =>
        {
            var ranked = rank(user, local.Scores);
            var truth = relevant[user];
            local.Sums[0] += RankingMetrics.PrecisionAt(ranked, truth, 10);
            local.Sums[1] += RankingMetrics.RecallAt(ranked, truth, 10);
            local.Sums[2] += RankingMetrics.RecallAt(ranked, truth, 20);
            local.Sums[3] += RankingMetrics.NdcgAt(ranked, truth, 10);
            local.Shown.UnionWith(ranked.Take(10));
            progress?.Report(Interlocked.Increment(ref done));
            return local;
        }, local =>
        {
            lock (sums)
            {
                for (var i = 0; i < sums.Length; i++) sums[i] += local.Sums[i];
                shown.UnionWith(local.Shown);
            }
        });
        var n = users.Length;
        return new EngineFigures(name, sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n,
            (double)shown.Count / _data.Index.Count, clock.Elapsed.TotalSeconds, n);
    }

    /// <summary>An engine's dense scores, the user's training items removed, then the top 20.</summary>
    private Func<int, float[], IReadOnlyList<int>> Dense(IScoringEngine engine) => (user, buffer) =>
    {
        var scores = buffer.AsSpan();
        scores.Clear();
        var context = new ScoringContext(_data.Index, _matrix.TasteOf(user));
        if (!engine.Score(context, scores)) return [];
        foreach (var (item, _) in context.TasteItems) scores[item] = float.NegativeInfinity;
        var ranked = TopK.Select(scores, Depth);
        ranked.RemoveAll(i => float.IsNegativeInfinity(buffer[i]));
        return ranked;
    };

    private int Item(int artist) => _data.Index.TryGetItem(artist, out var item) ? item : -1;

    public void Dispose() => _matrix.Dispose();
}
