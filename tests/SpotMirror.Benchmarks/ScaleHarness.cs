using System.Diagnostics;
using System.Globalization;

namespace SpotMirror.Benchmarks;

/// <summary>
/// A quick look without BenchmarkDotNet: builds the large setup (50,000 tracks, 1,000 users x 50),
/// prints how long setup took, then times <see cref="Calls"/> calls of each operation with a stopwatch
/// and prints median and p95 per call, and how many times faster the index paths are than the naive ones.
/// </summary>
public static class ScaleHarness
{
    public const int Calls = 200;
    // Enough calls, over enough time, for tiered JIT to promote the hot paths before measuring.
    private const int WarmupCalls = 40;
    private static readonly TimeSpan WarmupTime = TimeSpan.FromMilliseconds(500);

    private sealed record Row(string Operation, double Median, double P95);

    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var total = Stopwatch.StartNew();
        output.WriteLine(Invariant($"SpotMirror scale harness: {Workload.LargeTracks:N0} tracks, {Workload.LargeUsers:N0} users x {Workload.LargePerUser} interactions, {Calls} calls per operation"));
        if (Debugger.IsAttached || !IsOptimized()) output.WriteLine("warning: not an optimised build; run with -c Release for figures worth comparing");

        var clock = Stopwatch.StartNew();
        var tracks = Workload.TracksFor(CatalogSize.Large);
        var generated = clock.Elapsed;
        using var work = Workload.Create(tracks, CatalogSize.Large);
        output.WriteLine(Invariant($"setup: tracks generated {Ms(generated)} ms, index build {Ms(work.IndexBuild)} ms, matrix load {Ms(work.MatrixLoad)} ms ({work.Entries.Count:N0} entries, {work.Matrix.UserCount:N0} users), {work.Catalog.ArtistCount:N0} artists"));
        var model = work.LearnedModel;
        output.WriteLine(Invariant($"learned model (iALS, k {model.Factors}, {model.Settings.Epochs} epochs): {model.ItemCount:N0} items, fitted in {model.FitTime.TotalSeconds:F1} s, {work.LearnedAllocated / 1048576.0:N0} MiB allocated while fitting, {model.FactorBytes / 1048576.0:N0} MiB of factors kept"));
        output.WriteLine();

        var rows = new List<Row>
        {
            Measure("mood engine top-10", work.MoodEngineTop, cancellationToken),
            Measure("mood engine free text", work.MoodEngineFreeText, cancellationToken),
            Measure("/mood chill (hybrid)", () => work.Mood(work.Next().UserId), cancellationToken),
            Measure("similar (index top-k)", () => work.SimilarEngine(work.Next().Seed), cancellationToken),
            Measure("/similar (hybrid)", () => { var (user, seed) = work.Next(); return work.Similar(user, seed); }, cancellationToken),
            Measure("similar (naive dense)", () => work.SimilarNaive(work.Next().Seed), cancellationToken),
            Measure("user-kNN + top-10", () => work.Collaborative(work.Next().UserId), cancellationToken),
            Measure("user-kNN (naive dense)", () => work.CollaborativeNaive(work.Next().UserId), cancellationToken),
            Measure("popular", work.Popular, cancellationToken),
            Measure("recommend (hybrid)", () => work.Hybrid(work.Next().UserId), cancellationToken),
        };
        using (var feedback = await FeedbackWorkload.CreateAsync(cancellationToken))
        {
            rows.Add(await MeasureAsync("feedback write (1 txn)", feedback.ApplyNextAsync, cancellationToken));
        }

        output.WriteLine(Invariant($"{"operation",-26} {"median ms",10} {"p95 ms",10}"));
        output.WriteLine(new string('-', 48));
        foreach (var row in rows) output.WriteLine(Invariant($"{row.Operation,-26} {row.Median,10:F3} {row.P95,10:F3}"));
        output.WriteLine();
        output.WriteLine(Invariant($"naive / fast (median): content {Ratio(rows, "similar (naive dense)", "similar (index top-k)"):F1}x, collaborative {Ratio(rows, "user-kNN (naive dense)", "user-kNN + top-10"):F1}x"));
        output.WriteLine(Invariant($"feedback writes: {1000 / rows[^1].Median:N0} events/s at the median"));
        await FeedbackBurstsAsync(output, work, cancellationToken);
        output.WriteLine(Invariant($"total {total.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    /// <summary>
    /// Durable feedback as a burst brings it: <see cref="BurstCallers"/> concurrent callers of the feedback use case on
    /// a SQLite file, without group commit (main's path: a transaction per caller) and with it, alternating rounds in
    /// this one run; the median round of each. Then where the time goes: the statements per event inside one
    /// transaction, and the in-memory apply per event.
    /// </summary>
    private static async Task FeedbackBurstsAsync(TextWriter output, Workload work, CancellationToken cancellationToken)
    {
        using var alone = await FeedbackBurst.CreateAsync(groupCommit: false, work.Matrix, Workload.LargeUsers, cancellationToken);
        using var grouped = await FeedbackBurst.CreateAsync(groupCommit: true, work.Matrix, Workload.LargeUsers, cancellationToken);
        await alone.RunAsync(BurstCallers, BurstWarmup, cancellationToken);
        await grouped.RunAsync(BurstCallers, BurstWarmup, cancellationToken);
        var rounds = new List<(BurstResult Alone, BurstResult Grouped)>();
        for (var round = 0; round < BurstRounds; round++)
        {
            rounds.Add((await alone.RunAsync(BurstCallers, BurstRound, cancellationToken), await grouped.RunAsync(BurstCallers, BurstRound, cancellationToken)));
        }
        foreach (var (name, burst, results) in new[] { ("one transaction per caller (main)", alone, rounds.Select(r => r.Alone)), ("group commit", grouped, rounds.Select(r => r.Grouped)) })
        {
            var sorted = results.OrderBy(r => r.PerSecond).ToList();
            var median = sorted[sorted.Count / 2];
            var acknowledged = await burst.LoggedAsync(cancellationToken);
            output.WriteLine(Invariant($"feedback burst, {BurstCallers} callers of FeedbackUseCase, {name}: {median.PerSecond:N0} events/s median of {BurstRounds} rounds of {BurstRound.TotalSeconds:F0} s (rounds {string.Join(", ", sorted.Select(r => r.PerSecond.ToString("N0", CultureInfo.InvariantCulture)))}; {median.Events / (double)Math.Max(1, median.Commits):F1} events per commit; {acknowledged:N0} events logged)"));
        }
        var (statements, _) = await grouped.StatementsPerEventAsync(5_000, cancellationToken);
        var statement = await grouped.OneStatementAsync(5_000, cancellationToken);
        var apply = Measure("matrix apply (1 event)", () => ApplyOne(work), cancellationToken);
        output.WriteLine(Invariant($"per event: its statements inside one transaction {statements.TotalMicroseconds:F0} µs (a single writer's ceiling {1 / statements.TotalSeconds:N0}/s), one bare insert {statement.TotalMicroseconds:F0} µs; in-memory matrix apply {apply.Median * 1000:F1} µs"));
    }

    private const int BurstCallers = 64;
    private const int BurstRounds = 3;
    private static readonly TimeSpan BurstRound = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan BurstWarmup = TimeSpan.FromSeconds(1);
    private static long _applied;

    private static int ApplyOne(Workload work)
    {
        var n = Interlocked.Increment(ref _applied);
        var user = 1 + (n % work.UserCount);
        work.Matrix.Set([new Core.Preferences.PreferenceEntry(user, work.Tracks[(int)(n * 13 % work.Tracks.Count)].Id, 1.0, Workload.At, 0)]);
        return 0;
    }

    private static Row Measure<T>(string operation, Func<T> call, CancellationToken cancellationToken)
    {
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < WarmupCalls || warm.Elapsed < WarmupTime; i++) GC.KeepAlive(call());
        var samples = new double[Calls];
        for (var i = 0; i < Calls; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            GC.KeepAlive(call());
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return Summarize(operation, samples);
    }

    private static async Task<Row> MeasureAsync(string operation, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < WarmupCalls || warm.Elapsed < WarmupTime; i++) await call(cancellationToken);
        var samples = new double[Calls];
        for (var i = 0; i < Calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(cancellationToken);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return Summarize(operation, samples);
    }

    private static Row Summarize(string operation, double[] samples)
    {
        Array.Sort(samples);
        return new Row(operation, Percentile(samples, 0.5), Percentile(samples, 0.95));
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Ratio(List<Row> rows, string naive, string fast) =>
        rows.Single(r => r.Operation == naive).Median / rows.Single(r => r.Operation == fast).Median;

    private static double Ms(TimeSpan elapsed) => Math.Round(elapsed.TotalMilliseconds);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static bool IsOptimized() =>
        typeof(Core.Recommender).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>()
            .All(d => !d.IsJITOptimizerDisabled);
}
