using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SpotMirror.Benchmarks;

// dotnet run -c Release --project tests/SpotMirror.Benchmarks -- [BenchmarkDotNet args]   e.g. --filter '*Mood*'
// dotnet run -c Release --project tests/SpotMirror.Benchmarks -- --scale                  the quick stopwatch harness
// dotnet run -c Release --project tests/SpotMirror.Benchmarks -- --scale-run [--tracks N] [--users N] [--per-user N] [--calls N] [--learned-minutes N] [--db PATH [--build-only]]
//                                                                                        the real process on a database of that size
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
