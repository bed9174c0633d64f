using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Benchmarks;

/// <summary>
/// One request of each kind, at both sizes. Content and collaborative filtering each have their naive
/// counterpart (what the original service did) as the baseline of their category, so the Ratio column
/// reads "fast / naive". The user (and /similar seed) changes on every invocation.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class RecommendBenchmarks : IDisposable
{
    private Workload? _workload;

    [Params(CatalogSize.Starter, CatalogSize.Large)]
    public CatalogSize Size { get; set; }

    private Workload Work => _workload ?? throw new InvalidOperationException("GlobalSetup has not run.");

    [GlobalSetup]
    public void Setup()
    {
        _workload = Workload.Create(Size);
        // One of each before measuring, so a broken setup fails here and not mid-run.
        var (user, seed) = _workload.Next();
        if (_workload.Mood(user).Count == 0 || _workload.Similar(user, seed).Count == 0 || _workload.Hybrid(user).Count == 0)
        {
            throw new InvalidOperationException($"The {Size} workload returns empty recommendations.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    [Benchmark(Description = "mood engine top-10")]
    [BenchmarkCategory("Mood")]
    public List<(int, float)> MoodEngine() => Work.MoodEngineTop();

    [Benchmark(Description = "mood engine free text top-10")]
    [BenchmarkCategory("Mood")]
    public List<(int, float)> MoodEngineFreeText() => Work.MoodEngineFreeText();

    [Benchmark(Description = "/mood chill (hybrid request)")]
    [BenchmarkCategory("Mood")]
    public IReadOnlyList<Recommendation> Mood() => Work.Mood(Work.Next().UserId);

    [Benchmark(Description = "similar (index top-k)")]
    [BenchmarkCategory("Content")]
    public List<(int, float)> Content() => Work.SimilarEngine(Work.Next().Seed);

    [Benchmark(Description = "/similar (hybrid request)")]
    [BenchmarkCategory("Content")]
    public IReadOnlyList<Recommendation> SimilarRequest()
    {
        var (user, seed) = Work.Next();
        return Work.Similar(user, seed);
    }

    [Benchmark(Baseline = true, Description = "similar (naive dense)")]
    [BenchmarkCategory("Content")]
    public long[] ContentNaive() => Work.SimilarNaive(Work.Next().Seed);

    [Benchmark(Description = "user-kNN + top-10")]
    [BenchmarkCategory("Collaborative")]
    public List<int> Collaborative() => Work.Collaborative(Work.Next().UserId);

    [Benchmark(Baseline = true, Description = "user-kNN (naive dense)")]
    [BenchmarkCategory("Collaborative")]
    public long[] CollaborativeNaive() => Work.CollaborativeNaive(Work.Next().UserId);

    [Benchmark(Description = "popular")]
    [BenchmarkCategory("Popularity")]
    public IReadOnlyList<Recommendation> Popular() => Work.Popular();

    [Benchmark(Description = "recommend (hybrid)")]
    [BenchmarkCategory("Hybrid")]
    public IReadOnlyList<Recommendation> Hybrid() => Work.Hybrid(Work.Next().UserId);

    public void Dispose()
    {
        _workload?.Dispose();
        _workload = null;
        GC.SuppressFinalize(this);
    }
}
