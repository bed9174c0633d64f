using BenchmarkDotNet.Attributes;
using SpotMirror.Core.Catalog;

namespace SpotMirror.Benchmarks;

/// <summary>Building the catalogue snapshot (TF-IDF, inverted index, mood plane, named-mood fits) from tracks in memory.</summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
public class IndexBuildBenchmarks
{
    private IReadOnlyList<Core.Catalog.Track> _tracks = [];

    [Params(CatalogSize.Starter, CatalogSize.Large)]
    public CatalogSize Size { get; set; }

    [GlobalSetup]
    public void Setup() => _tracks = Workload.TracksFor(Size);

    [Benchmark(Description = "CatalogIndex.Build")]
    [BenchmarkCategory("IndexBuild")]
    public CatalogIndex Build() => CatalogIndex.Build(_tracks);
}
