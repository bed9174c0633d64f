using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests;

/// <summary>The scale harness itself, at a small size: it builds the database, runs the real process and reports every figure.</summary>
public sealed class ScaleHarnessTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_small_scale_run_reports_readiness_memory_latencies_and_feedback()
    {
        var size = new ScaleSize(Tracks: 3_000, Users: 60, PerUser: 20);
        _db.Database.Dispose();
        await ScaleRun.BuildDatabaseAsync(_db.Path, size, CancellationToken.None);

        var report = await ScaleRun.MeasureAsync(SpotMirrorProcess.Binary, _db.Path, size, TimeSpan.Zero, calls: 20, TimeSpan.FromMinutes(2), null, CancellationToken.None);

        Assert.True(report.Ready > TimeSpan.Zero);
        Assert.NotNull(report.LearnedArrived);
        Assert.True(report.ReadyRssBytes > 0 && report.PeakRssBytes >= report.ReadyRssBytes);
        Assert.All(report.Latencies, row => Assert.True(row.P50 > 0 && row.P99 >= row.P50, $"{row.Operation} was not answered"));
        Assert.True(report.FeedbackEvents > 0 && report.BatchEvents > 0);
        Assert.Equal(report.FeedbackEvents + report.BatchEvents, report.Logged);
        Assert.All(report.LatenciesAfterModel, row => Assert.True(row.P50 > 0 && row.P99 >= row.P50, $"{row.Operation} was not answered after the model"));
        Assert.Equal(report.Latencies.Count, report.LatenciesAfterModel.Count);
        Assert.Equal(7 + report.Latencies.Count + report.LatenciesAfterModel.Count, ScaleRun.Describe(report).Count());
    }
}
