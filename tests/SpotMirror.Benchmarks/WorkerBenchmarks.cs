using System.Diagnostics;
using System.Globalization;
using SpotMirror.Storage.Postgres;
using SpotMirror.Testing;

namespace SpotMirror.Benchmarks;

/// <summary>
/// Real worker processes under a feedback burst over HTTP: `--workers` (issue 14's benchmark: SQLite beside one and
/// two workers on a throwaway PostgreSQL cluster with fsync on, in one run) and `--feedback-compare` (one worker on an
/// existing SQLite file, without and with group commit). Durable feedback is <see cref="ScaleRun.FeedbackClients"/>
/// HTTP clients posting likes for <see cref="ScaleRun.FeedbackDuration"/> a round, spread over the workers; the
/// figure is the median round. Recommendation latency is sequential GET /recommend, the workers taken in turn.
/// </summary>
public static class WorkerBenchmarks
{
    private static readonly TimeSpan ReadyPatience = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan LearnedPatience = TimeSpan.FromMinutes(10);

    private sealed record Setup(string Provider, int Workers, bool GroupCommit);

    private sealed record Row(Setup Setup, TimeSpan Ready, double P50, double P99, double Median, IReadOnlyList<double> Rounds, double UnitsPerCommit)
    {
        /// <summary>The same clients posting batches of <see cref="ScaleRun.FeedbackBatch"/> to POST /feedback.</summary>
        public double BatchMedian { get; init; }

        public IReadOnlyList<double> BatchRounds { get; init; } = [];

        /// <summary>Events answered 200 over all rounds, single and batched.</summary>
        public long Acknowledged { get; init; }
    }

    public static async Task<int> SeveralWorkersAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var size = new ScaleSize(ProcessScaleRun.Option(args, "--tracks", 50_000), ProcessScaleRun.Option(args, "--users", 1_000), ProcessScaleRun.Option(args, "--per-user", 50));
        var rounds = ProcessScaleRun.Option(args, "--rounds", 3);
        var calls = ProcessScaleRun.Option(args, "--calls", 300);
        var folder = Path.Combine(Path.GetTempPath(), "spotmirror-workers", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var cluster = PostgresCluster.Launch(durable: true);
            var connectionString = cluster.CreateDatabase();
            var sqlite = Path.Combine(folder, "scale.db");
            var clock = Stopwatch.StartNew();
            await ScaleRun.BuildDatabaseAsync(sqlite, size, cancellationToken);
            output.WriteLine(Invariant($"SQLite database built in {clock.Elapsed.TotalSeconds:F0} s"));
            clock.Restart();
            using (var postgres = new PostgresDatabase(connectionString)) await ScaleRun.BuildDatabaseAsync(postgres, size, cancellationToken);
            output.WriteLine(Invariant($"PostgreSQL database built in {clock.Elapsed.TotalSeconds:F0} s (fsync on)"));

            var rows = new List<Row>();
            foreach (var setup in new[] { new Setup("sqlite", 1, false), new Setup("sqlite", 1, true), new Setup("postgres", 1, false), new Setup("postgres", 1, true), new Setup("postgres", 2, false), new Setup("postgres", 2, true) })
            {
                var environments = Enumerable.Range(1, setup.Workers).Select(n => setup.Provider == "sqlite"
                    ? Environment(setup, ("Storage__Path", sqlite))
                    : Environment(setup, ("Storage__Provider", "postgres"), ("Storage__ConnectionString", connectionString), ("Storage__Path", Path.Combine(folder, $"worker-{n}.db"))));
                var row = await MeasureAsync(setup, environments.ToList(), size, rounds, calls, output, cancellationToken);
                rows.Add(row);
            }
            output.WriteLine();
            output.WriteLine(Invariant($"size: {size.Tracks:N0} tracks, {size.Users:N0} users, {size.Preferences:N0} preference rows; {ScaleRun.FeedbackClients} HTTP clients, median of {rounds} rounds of {ScaleRun.FeedbackDuration.TotalSeconds:F0} s"));
            output.WriteLine("| storage | workers | group commit | durable feedback events/s (median) | rounds | units per commit | /recommend p50 ms | /recommend p99 ms |");
            output.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var row in rows)
            {
                output.WriteLine(Invariant($"| {(row.Setup.Provider == "sqlite" ? "SQLite" : "PostgreSQL")} | {row.Setup.Workers} | {(row.Setup.GroupCommit ? "on" : "off")} | {row.Median:N0} | {string.Join(", ", row.Rounds.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} | {row.UnitsPerCommit:F1} | {row.P50:F2} | {row.P99:F2} |"));
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// One worker on the database at --db (written to: copy a file you want to keep), without and then with group commit.
    /// The learned model is off (Recommender__Learned=0): at 1 M tracks its first fit would take both cores for minutes
    /// in the middle of one of the two measurements and not the other; feedback never waits for it.
    /// </summary>
    public static async Task<int> FeedbackCompareAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var database = ProcessScaleRun.Text(args, "--db") ?? throw new ArgumentException("--feedback-compare needs --db PATH (an existing scale database)");
        if (!File.Exists(database)) throw new ArgumentException($"{database} does not exist; build it first with --scale-run --db {database} --build-only");
        var size = new ScaleSize(ProcessScaleRun.Option(args, "--tracks", 50_000), ProcessScaleRun.Option(args, "--users", 1_000), ProcessScaleRun.Option(args, "--per-user", 50));
        var rounds = ProcessScaleRun.Option(args, "--rounds", 3);
        var calls = ProcessScaleRun.Option(args, "--calls", 300);
        var rows = new List<Row>();
        var loggedBefore = await ScaleRun.LoggedAsync(database, cancellationToken);
        // --grouped-only: the one setup a deployment runs, in half the time.
        foreach (var grouped in args.Contains("--grouped-only", StringComparer.Ordinal) ? new[] { true } : new[] { false, true })
        {
            var setup = new Setup("sqlite", 1, grouped);
            rows.Add(await MeasureAsync(setup, [Environment(setup, ("Storage__Path", database), ("Recommender__Learned", "0"))], size, rounds, calls, output, cancellationToken));
        }
        var logged = await ScaleRun.LoggedAsync(database, cancellationToken) - loggedBefore;
        foreach (var row in rows)
        {
            output.WriteLine(Invariant($"group commit {(row.Setup.GroupCommit ? "on " : "off")}: durable feedback {row.Median:N0} events/s (median of {rounds} rounds of {ScaleRun.FeedbackDuration.TotalSeconds:F0} s by {ScaleRun.FeedbackClients} HTTP clients: {string.Join(", ", row.Rounds.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}); {row.UnitsPerCommit:F1} units per commit; /recommend p50 {row.P50:F2} ms, p99 {row.P99:F2} ms; ready after {row.Ready.TotalSeconds:F1} s"));
            output.WriteLine(Invariant($"group commit {(row.Setup.GroupCommit ? "on " : "off")}: batches of {ScaleRun.FeedbackBatch} (POST /feedback) {row.BatchMedian:N0} events/s (rounds {string.Join(", ", row.BatchRounds.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))})"));
        }
        var acknowledged = rows.Sum(r => r.Acknowledged);
        output.WriteLine(Invariant($"the feedback log gained {logged:N0} rows for {acknowledged:N0} acknowledged events: {(logged == acknowledged ? "exactly those" : "MISMATCH")}"));
        return logged == acknowledged ? 0 : 1;
    }

    private static Dictionary<string, string> Environment(Setup setup, params (string Key, string Value)[] settings)
    {
        var environment = settings.ToDictionary(s => s.Key, s => s.Value);
        environment["Storage__GroupCommit"] = setup.GroupCommit ? "true" : "false";
        return environment;
    }

    private static async Task<Row> MeasureAsync(
        Setup setup, IReadOnlyList<Dictionary<string, string>> environments, ScaleSize size, int rounds, int calls, TextWriter output, CancellationToken cancellationToken)
    {
        var workers = new List<ScaleWorker>();
        try
        {
            // One at a time: the first one migrates and, on a fresh database, is the one that fits the learned model.
            foreach (var environment in environments)
            {
                workers.Add(await ScaleWorker.StartAsync(Path.Combine(AppContext.BaseDirectory, "spotmirror.dll"), [], environment, ReadyPatience, cancellationToken));
            }
            // A fit running in the background would be measured too: every worker has its model before the clock starts.
            foreach (var worker in workers) await worker.WaitForLearnedModelAsync(LearnedPatience, cancellationToken);
            var clients = workers.Select(w => w.Client).ToList();
            var (p50, p99) = await RecommendLatencyAsync(clients, size, calls, cancellationToken);
            var before = await CountersAsync(clients, cancellationToken);
            var perSecond = new List<double>();
            var batched = new List<double>();
            // Processor time per event, the server's (every worker) and this client's: on a shared machine the rates
            // count the neighbours, these hardly. The client runs on the same cores, so its share is reported too.
            var single = new CpuShare();
            var batch = new CpuShare();
            var acknowledged = 0L;
            // A round of each not counted: the first requests pay for compiling the code they run and for the start-up's
            // leftovers (the snapshot written just after ready), which would otherwise land on the first round.
            acknowledged += (await ScaleRun.FeedbackAsync(clients, size, ScaleRun.FeedbackClients, ScaleRun.FeedbackDuration, cancellationToken, 100)).Events;
            acknowledged += (await ScaleRun.FeedbackBatchAsync(clients, size, ScaleRun.FeedbackClients, ScaleRun.FeedbackBatch, ScaleRun.FeedbackDuration, cancellationToken, 100)).Events;
            for (var round = 0; round < rounds; round++)
            {
                var mark = CpuShare.Now(workers);
                var (events, rate) = await ScaleRun.FeedbackAsync(clients, size, ScaleRun.FeedbackClients, ScaleRun.FeedbackDuration, cancellationToken, round + 1);
                single.Add(mark, CpuShare.Now(workers), events);
                perSecond.Add(rate);
                mark = CpuShare.Now(workers);
                var (batchEvents, batchRate) = await ScaleRun.FeedbackBatchAsync(clients, size, ScaleRun.FeedbackClients, ScaleRun.FeedbackBatch, ScaleRun.FeedbackDuration, cancellationToken, round + 1);
                batch.Add(mark, CpuShare.Now(workers), batchEvents);
                batched.Add(batchRate);
                acknowledged += events + batchEvents;
            }
            output.WriteLine(Invariant($"  processor per event: single POSTs {single.Describe}; batches {batch.Describe} (load {File.ReadAllText("/proc/loadavg").Trim()})"));
            var after = await CountersAsync(clients, cancellationToken);
            var unitsPerCommit = (after.Units - before.Units) / Math.Max(1, after.Commits - before.Commits);
            var median = perSecond.Order().ElementAt(perSecond.Count / 2);
            output.WriteLine(Invariant($"{setup.Provider}, {setup.Workers} worker(s), group commit {(setup.GroupCommit ? "on" : "off")}: ready {workers.Max(w => w.Ready).TotalSeconds:F1} s; feedback {median:N0} events/s median, {unitsPerCommit:F1} units per commit; /recommend p99 {p99:F2} ms"));
            var batchMedian = batched.Order().ElementAt(batched.Count / 2);
            output.WriteLine(Invariant($"  batches of {ScaleRun.FeedbackBatch}: {batchMedian:N0} events/s median"));
            return new Row(setup, workers.Max(w => w.Ready), p50, p99, median, perSecond, unitsPerCommit)
            {
                BatchMedian = batchMedian,
                BatchRounds = batched,
                Acknowledged = acknowledged,
            };
        }
        finally
        {
            foreach (var worker in workers) await worker.DisposeAsync();
        }
    }

    /// <summary>Units of work and commits so far, summed over the workers, from their /metrics.</summary>
    private static async Task<(double Units, double Commits)> CountersAsync(List<HttpClient> clients, CancellationToken cancellationToken)
    {
        var (units, commits) = (0.0, 0.0);
        foreach (var client in clients)
        {
            var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
            units += Counter(text, "spotmirror_storage_units_total");
            commits += Counter(text, "spotmirror_storage_commits_total");
        }
        return (units, commits);
    }

    private static double Counter(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal) && (l.Length == name.Length || l[name.Length] is ' ' or '{'))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>Sequential GET /recommend for random users, the workers in turn; p50 and p99 after a warm-up.</summary>
    private static async Task<(double P50, double P99)> RecommendLatencyAsync(List<HttpClient> clients, ScaleSize size, int calls, CancellationToken cancellationToken)
    {
        var random = new Random(3);
        Uri Next() => new($"/recommend?user={ScaleRun.UserName(random.Next(1, size.Users + 1))}", UriKind.Relative);
        for (var i = 0; i < Math.Max(10, calls / 10); i++)
        {
            using var warm = await clients[i % clients.Count].GetAsync(Next(), cancellationToken);
            warm.EnsureSuccessStatusCode();
        }
        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await clients[i % clients.Count].GetAsync(Next(), cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
        }
        Array.Sort(samples);
        return (samples[calls / 2], samples[Math.Min(calls - 1, (int)Math.Ceiling(calls * 0.99) - 1)]);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Server (user and kernel) and client processor time over some events, summed over rounds.</summary>
internal sealed class CpuShare
{
    private TimeSpan _user;
    private TimeSpan _system;
    private TimeSpan _client;
    private long _events;

    public string Describe => FormattableString.Invariant(
        $"server {(_user + _system).TotalMicroseconds / Math.Max(1, _events):F0} µs ({_user.TotalMicroseconds / Math.Max(1, _events):F0} user + {_system.TotalMicroseconds / Math.Max(1, _events):F0} kernel), client {_client.TotalMicroseconds / Math.Max(1, _events):F0} µs");

    public static (TimeSpan User, TimeSpan System, TimeSpan Client) Now(IEnumerable<ScaleWorker> workers)
    {
        var (user, system) = (TimeSpan.Zero, TimeSpan.Zero);
        foreach (var worker in workers)
        {
            var cpu = worker.Cpu;
            (user, system) = (user + cpu.User, system + cpu.System);
        }
        return (user, system, System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);
    }

    public void Add((TimeSpan User, TimeSpan System, TimeSpan Client) from, (TimeSpan User, TimeSpan System, TimeSpan Client) to, long events)
    {
        _user += to.User - from.User;
        _system += to.System - from.System;
        _client += to.Client - from.Client;
        _events += events;
    }
}
