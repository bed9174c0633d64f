using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SpotMirror.Benchmarks;

// dotnet run -c Release --project tests/SpotMirror.Benchmarks -- [BenchmarkDotNet args]   e.g. --filter '*Mood*'
// dotnet run -c Release --project tests/SpotMirror.Benchmarks -- --scale                  the quick stopwatch harness
// dotnet run -c Release --project tests/SpotMirror.Benchmarks -- --scale-run [--tracks N] [--users N] [--per-user N] [--calls N] [--learned-minutes N] [--db PATH [--build-only]]
//                                                                                        the real process on a database of that size
// dotnet run -c Release --project tests/SpotMirror.Benchmarks -- --workers [--tracks N] [--users N] [--per-user N] [--rounds N] [--calls N]
//                                                                                        SQLite, and one and two workers on PostgreSQL, in one run
// dotnet run -c Release --project tests/SpotMirror.Benchmarks -- --feedback-compare --db PATH [--tracks N] [--users N] [--rounds N] [--grouped-only]
//                                                                                        one worker on that file, without and with group commit
// dotnet run -c Release --project tests/SpotMirror.Benchmarks -- --feedback-burst [--db PATH]
//                                                                                        in-process group-commit burst and per-event statement cost
if (args.Contains("--workers", StringComparer.Ordinal) || args.Contains("--feedback-compare", StringComparer.Ordinal))
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return args.Contains("--workers", StringComparer.Ordinal)
        ? await WorkerBenchmarks.SeveralWorkersAsync(args, Console.Out, cancel.Token)
        : await WorkerBenchmarks.FeedbackCompareAsync(args, Console.Out, cancel.Token);
}
if (args.Contains("--feedback-burst", StringComparer.Ordinal))
{
    using var cancel = new CancellationTokenSource();
    return await FeedbackBurst.ReportAsync(args, Console.Out, cancel.Token);
}
if (args.Contains("--scale-run", StringComparer.Ordinal))
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return await ProcessScaleRun.RunAsync(args, Console.Out, cancel.Token);
}
if (args.Contains("--scale", StringComparer.Ordinal))
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return await ScaleHarness.RunAsync(Console.Out, cancel.Token);
}

// Results go under the build output unless --artifacts says otherwise, so a run leaves the working tree alone.
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
var summaries = BenchmarkSwitcher.FromAssembly(typeof(ScaleHarness).Assembly).Run(args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
