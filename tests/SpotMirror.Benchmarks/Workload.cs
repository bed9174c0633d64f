using System.Diagnostics;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage.Catalog;
using SpotMirror.Testing;

namespace SpotMirror.Benchmarks;

/// <summary>The two sizes measured: the shipped starter catalogue, and a synthetic one at the scale the service must hold.</summary>
public enum CatalogSize
{
    Starter,
    Large,
}

/// <summary>
/// Everything one size needs, built once: tracks, the catalogue index, the preference matrix and a
/// recommender over them, the chill target and a rotation of resolved /similar seeds. Each operation
/// here is one request, so BenchmarkDotNet and the scale harness measure exactly the same calls.
/// </summary>
public sealed class Workload : IDisposable
{
    public const int StarterUsers = 20;
    public const int StarterPerUser = 20;
    public const int LargeTracks = 50_000;
    public const int LargeUsers = 1_000;
    public const int LargePerUser = 50;
    public const int DataSeed = 20_250_601;
    public const int ResultCount = 10;
    public const int Neighbours = 50;
    private const int SeedRotation = 16;

    private readonly MoodTarget _chill;
    private readonly MoodTarget _rainySunday;
    private readonly SeedMatch[] _seeds;
    private readonly UserKnnEngine _knn;
    private readonly float[] _scores;
    private long _turn;

    private Workload(
        IReadOnlyList<Track> tracks, IReadOnlyList<PreferenceEntry> entries, CatalogIndex catalog,
        PreferenceMatrix matrix, int users, TimeSpan indexBuild, TimeSpan matrixLoad)
    {
        Tracks = tracks;
        Entries = entries;
        Catalog = catalog;
        Matrix = matrix;
        UserCount = users;
        IndexBuild = indexBuild;
        MatrixLoad = matrixLoad;
        Recommender = new Recommender(catalog, matrix, new HybridOptions { Neighbours = Neighbours });
        // The learned model as the bot runs it: fitted once from everyone's likes, then published.
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var options = new HybridOptions();
        LearnedModel = Recommender.FitLearned(options.LearnedSettings());
        LearnedAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Recommender.Learned.Publish(LearnedModel);
        _chill = Recommender.Moods.Resolve("chill").Target
            ?? throw new InvalidOperationException("The mood \"chill\" does not resolve.");
        _rainySunday = Recommender.Moods.Resolve("rainy sunday").Target
            ?? throw new InvalidOperationException("\"rainy sunday\" does not resolve.");
        _seeds = Enumerable.Range(0, SeedRotation)
            .Select(k => tracks[(int)((long)k * tracks.Count / SeedRotation)].Title)
            .Select(title => catalog.FindSeed(title) ?? throw new InvalidOperationException($"No seed for \"{title}\"."))
            .ToArray();
        _knn = new UserKnnEngine(matrix, Neighbours);
        _scores = new float[catalog.Count];
    }

    public static DateTimeOffset At { get; } = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public IReadOnlyList<Track> Tracks { get; }
    public IReadOnlyList<PreferenceEntry> Entries { get; }
    public CatalogIndex Catalog { get; }
    public PreferenceMatrix Matrix { get; }
    public Recommender Recommender { get; }
    public int UserCount { get; }
    public Core.Engines.ImplicitAlsModel LearnedModel { get; }
    public long LearnedAllocated { get; }
    public TimeSpan IndexBuild { get; }
    public TimeSpan MatrixLoad { get; }

    /// <summary>The tracks of a size: the starter CSV with ids 1..N, or 50,000 synthetic ones.</summary>
    public static IReadOnlyList<Track> TracksFor(CatalogSize size) =>
        size == CatalogSize.Starter ? StarterTracks() : SyntheticCatalog.Tracks(LargeTracks, DataSeed);

    public static IReadOnlyList<Track> StarterTracks() =>
        StarterCatalog.Load()
            .Select((t, i) => new Track(i + 1, t.Title, t.Artist, t.Year, t.Tags, t.Listeners, t.Playcount))
            .ToList();

    public static Workload Create(CatalogSize size) => Create(TracksFor(size), size);

    public static Workload Create(IReadOnlyList<Track> tracks, CatalogSize size)
    {
        var (users, perUser) = size == CatalogSize.Starter ? (StarterUsers, StarterPerUser) : (LargeUsers, LargePerUser);
        var entries = SyntheticCatalog.Preferences(tracks, users, perUser, DataSeed + 1, At);

        var clock = Stopwatch.StartNew();
        var catalog = CatalogIndex.Build(tracks);
        var indexBuild = clock.Elapsed;

        clock.Restart();
        var matrix = new PreferenceMatrix(new PreferenceLearner(new LearningOptions()), At);
        matrix.Load(entries);
        var matrixLoad = clock.Elapsed;
        return new Workload(tracks, entries, catalog, matrix, users, indexBuild, matrixLoad);
    }

    /// <summary>The next user and seed: every call asks for someone else, so no one cached user flatters the figures.</summary>
    public (long UserId, SeedMatch Seed) Next()
    {
        var turn = _turn++;
        return (1 + (turn % UserCount), _seeds[turn % _seeds.Length]);
    }

    /// <summary>/mood chill.</summary>
    public IReadOnlyList<Recommendation> Mood(long userId) =>
        Recommender.Recommend(new RecommendationRequest { UserId = userId, Count = ResultCount, Mood = _chill });

    /// <summary>The mood engine alone: the ten tracks that fit "chill" best.</summary>
    public List<(int Item, float Score)> MoodEngineTop() => MoodEngine.Top(Catalog, _chill, ResultCount);

    /// <summary>The mood engine alone on free text: every track scored on the plane, then the top ten.</summary>
    public List<(int Item, float Score)> MoodEngineFreeText() => MoodEngine.Top(Catalog, _rainySunday, ResultCount);

    /// <summary>The content engine alone: cosine top-10 to the seed through the inverted index.</summary>
    public List<(int Item, float Score)> SimilarEngine(SeedMatch seed) => ContentEngine.SimilarTo(Catalog, seed.Items, ResultCount);

    /// <summary>/similar: content similarity to the seed, blended with the asking user's taste as the bot does.</summary>
    public IReadOnlyList<Recommendation> Similar(long userId, SeedMatch seed) =>
        Recommender.Recommend(new RecommendationRequest { UserId = userId, Count = ResultCount, Seed = seed });

    /// <summary>The user-kNN engine alone, into one dense score array, then the top ten.</summary>
    public List<int> Collaborative(long userId)
    {
        var scores = _scores.AsSpan();
        scores.Clear();
        _knn.Score(new ScoringContext(Catalog, Matrix.TasteOf(userId)), scores);
        return TopK.Select(scores, ResultCount);
    }

    /// <summary>/popular.</summary>
    public IReadOnlyList<Recommendation> Popular() => Recommender.Popular(null, ResultCount);

    /// <summary>/recommend: every engine blended.</summary>
    public IReadOnlyList<Recommendation> Hybrid(long userId) =>
        Recommender.Recommend(new RecommendationRequest { UserId = userId, Count = ResultCount });

    /// <summary>The naive counterpart of <see cref="Similar"/>: dense TF-IDF rebuilt for this request.</summary>
    public long[] SimilarNaive(SeedMatch seed) => NaiveContent.Similar(Tracks, seed.Items[0], ResultCount);

    /// <summary>The naive counterpart of <see cref="Collaborative"/>: the dense user x item matrix rebuilt for this request.</summary>
    public long[] CollaborativeNaive(long userId) => NaiveCollaborative.Recommend(Entries, userId, Neighbours, ResultCount);

    public void Dispose() => Matrix.Dispose();
}
