using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Benchmarks;

/// <summary>
/// The HTTP API's cost over the core: GET /recommend and GET /recommend/mood over loopback (Kestrel,
/// the user looked up in SQLite, JSON both ways) against the same recommendation called in process,
/// the baseline of each category, so the Ratio column is the HTTP overhead. The concurrent row keeps
/// 8 clients asking at once; its per-request mean is the inverse of the throughput.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class HttpRecommendBenchmarks
{
    public const int Clients = 8;
    public const int RequestsPerClient = 16;
    private HttpWorkload? _http;

    [Params(CatalogSize.Starter, CatalogSize.Large)]
    public CatalogSize Size { get; set; }

    private HttpWorkload Http => _http ?? throw new InvalidOperationException("GlobalSetup has not run.");

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _http = await HttpWorkload.StartAsync(Size, CancellationToken.None);
        // One of each before measuring, so a broken setup fails here and not mid-run.
        if ((await _http.RecommendAsync()).Length == 0 || (await _http.MoodAsync()).Length == 0)
        {
            throw new InvalidOperationException($"The {Size} HTTP workload answers empty.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_http is not null) await _http.DisposeAsync();
        _http = null;
    }

    [Benchmark(Baseline = true, Description = "recommend in process")]
    [BenchmarkCategory("Recommend")]
    public IReadOnlyList<Recommendation> RecommendInProcess() => Http.Work.Hybrid(Http.Work.Next().UserId);

    [Benchmark(Description = "GET /recommend")]
    [BenchmarkCategory("Recommend")]
    public Task<byte[]> RecommendOverHttp() => Http.RecommendAsync();

    [Benchmark(Baseline = true, Description = "mood chill in process")]
    [BenchmarkCategory("Mood")]
    public IReadOnlyList<Recommendation> MoodInProcess() => Http.Work.Mood(Http.Work.Next().UserId);

    [Benchmark(Description = "GET /recommend/mood?mood=chill")]
    [BenchmarkCategory("Mood")]
    public Task<byte[]> MoodOverHttp() => Http.MoodAsync();

    [Benchmark(OperationsPerInvoke = Clients * RequestsPerClient, Description = "GET /recommend, 8 clients at once (per request)")]
    [BenchmarkCategory("Throughput")]
    public Task RecommendConcurrently() => Http.ConcurrentRecommendAsync(Clients, RequestsPerClient);
}
