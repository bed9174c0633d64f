using BenchmarkDotNet.Attributes;

namespace SpotMirror.Benchmarks;

/// <summary>
/// Feedback write throughput: SqlPreferenceStore.ApplyAsync, one event per transaction, on a real
/// SQLite file (WAL). Each invocation writes <see cref="EventsPerInvocation"/> distinct events, so the
/// reported time is per event and Op/s is events per second. The baseline is a bare insert of the same
/// event row in its own transaction, so the ratio is what the preference logic costs on top of the commit.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
[MedianColumn]
[OperationsPerSecond]
[CategoriesColumn]
public class FeedbackWriteBenchmarks : IDisposable
{
    public const int EventsPerInvocation = 100;

    private FeedbackWorkload? _workload;

    [GlobalSetup]
    public async Task SetupAsync() => _workload = await FeedbackWorkload.CreateAsync(CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvocation, Description = "bare event insert (1 event = 1 txn)")]
    [BenchmarkCategory("FeedbackWrite")]
    public async Task InsertEventOnly()
    {
        var workload = _workload ?? throw new InvalidOperationException("GlobalSetup has not run.");
        for (var i = 0; i < EventsPerInvocation; i++) await workload.InsertEventOnlyAsync(CancellationToken.None);
    }

    [Benchmark(OperationsPerInvoke = EventsPerInvocation, Description = "ApplyAsync (1 event = 1 txn)")]
    [BenchmarkCategory("FeedbackWrite")]
    public async Task ApplyFeedback()
    {
        var workload = _workload ?? throw new InvalidOperationException("GlobalSetup has not run.");
        for (var i = 0; i < EventsPerInvocation; i++) await workload.ApplyNextAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        _workload?.Dispose();
        _workload = null;
        GC.SuppressFinalize(this);
    }
}
