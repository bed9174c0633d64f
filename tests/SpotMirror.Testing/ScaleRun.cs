using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Testing;

/// <summary>The size of a scale run: tracks, users and preference rows per user.</summary>
public sealed record ScaleSize(int Tracks, int Users, int PerUser)
{
    public long Preferences => (long)Users * PerUser;
}

/// <summary>One HTTP operation's latency over its calls, in milliseconds (null when the endpoint answered with an error).</summary>
public sealed record LatencyRow(string Operation, double? P50, double? P99, int Calls);

/// <summary>
/// What a scale run measured of the real worker process. <see cref="Latencies"/> start at ready, so they overlap the first
/// background fit; <see cref="ReadyCpu"/> is the processor time the process had used by then (on a loaded machine the
/// wall time says more about the neighbours than about start-up); <see cref="LatenciesAfterModel"/> are the same calls again once the learned model arrived (empty when it
/// did not within the patience given). The peak is the kernel's high-water mark (VmHWM), so a spike between samples counts.
/// </summary>
public sealed record ScaleReport(
    ScaleSize Size, TimeSpan Build, TimeSpan Ready, TimeSpan ReadyCpu, TimeSpan? LearnedArrived, long ReadyRssBytes, long PeakRssBytes,
    IReadOnlyList<LatencyRow> Latencies, int FeedbackEvents, double FeedbackPerSecond, IReadOnlyList<LatencyRow> LatenciesAfterModel)
{
    /// <summary>Events acknowledged by batched POST /feedback (<see cref="ScaleRun.FeedbackBatch"/> a request), and their rate.</summary>
    public int BatchEvents { get; init; }

    public double BatchPerSecond { get; init; }

    /// <summary>Rows the feedback log gained over both feedback runs: exactly the acknowledged events when nothing was lost or doubled.</summary>
    public long Logged { get; init; }
}

/// <summary>
/// The scale harness: builds a database of a given size (tracks through the catalogue import, users through
/// the user directory, preference rows in batched inserts), starts the real spotmirror process on it with
/// the HTTP API on a free loopback port, and measures time to ready, time until the learned model arrives,
/// resident memory, request latencies over HTTP and durable feedback events per second.
/// </summary>
public static partial class ScaleRun
{
    public const string Platform = "http";
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static string UserName(long n) => $"listener-{n}";

    public static async Task BuildDatabaseAsync(string path, ScaleSize size, CancellationToken cancellationToken)
    {
        using var database = new SqliteDatabase(path);
        await BuildDatabaseAsync(database, size, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same build on any database (a PostgreSQL one for the several-workers benchmark).</summary>
    public static async Task BuildDatabaseAsync(IDatabase database, ScaleSize size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(size);
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var generated = SyntheticCatalog.Tracks(size.Tracks, seed: 11);
        var store = new SqlCatalogStore(database);
        var transactions = new SqlTransactions(database);
        var tracks = new List<Track>(generated.Count);
        foreach (var chunk in generated.Chunk(20_000))
        {
            var inputs = chunk.Select(t => new TrackInput(t.Title, t.Artist, t.Tags, t.Year, t.Listeners, t.Playcount)).ToList();
            var (_, ids) = await transactions.RunAsync((unit, ct) => store.UpsertAsync(unit, inputs, ct), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++) tracks.Add(chunk[i] with { Id = ids[i] ?? throw new InvalidOperationException("a track was not imported") });
        }

        var users = new SqlUserDirectory(database);
        var userIds = new long[size.Users + 1];
        for (var n = 1; n <= size.Users; n++)
        {
            userIds[n] = await users.ResolveAsync(new ChatUser(Platform, UserName(n), UserName(n)), cancellationToken).ConfigureAwait(false);
        }

        var rows = SyntheticCatalog.Preferences(tracks, size.Users, size.PerUser, seed: 11, At)
            .Select(e => new { UserId = userIds[e.UserId], e.TrackId, e.Score, At = At.ToUnixTimeMilliseconds() });
        foreach (var chunk in rows.Chunk(50_000))
        {
            await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
                "INSERT INTO preferences (user_id, track_id, score, hard_dislikes, updated_at) VALUES (@UserId, @TrackId, @Score, 0, @At)",
                chunk, transaction), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts `spotmirror run` (binary: the spotmirror.dll) on the database and measures it; the process is stopped at the end.</summary>
    public static async Task<ScaleReport> MeasureAsync(
        string binary, string databasePath, ScaleSize size, TimeSpan build, int calls, TimeSpan learnedPatience, Action<string>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(size);
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(binary);
        foreach (var arg in new[] { "run", "--db", databasePath }) info.ArgumentList.Add(arg);
        info.Environment["Http__Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["DOTNET_gcServer"] = "0";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start spotmirror");
        var drainOut = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var drainErr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            var ready = await WaitForHealthAsync(client, process, h => h.Status == "ready", TimeSpan.FromMinutes(30), cancellationToken).ConfigureAwait(false);
            var readyAt = clock.Elapsed;
            var readyRss = Rss(process);
            process.Refresh();
            var readyCpu = process.TotalProcessorTime;
            progress?.Invoke($"ready after {readyAt.TotalSeconds:F1} s ({readyCpu.TotalSeconds:F1} s of processor time), {readyRss / 1048576.0:N0} MiB resident");

            var random = new Random(3);
            var latencies = await LatenciesAsync(client, size, random, calls, cancellationToken).ConfigureAwait(false);

            var loggedBefore = await LoggedAsync(databasePath, cancellationToken).ConfigureAwait(false);
            var (events, perSecond) = await FeedbackAsync([client], size, FeedbackClients, FeedbackDuration, cancellationToken).ConfigureAwait(false);
            progress?.Invoke($"feedback: {events} events, {perSecond:N0} per second");
            var (batchEvents, batchPerSecond) = await FeedbackBatchAsync([client], size, FeedbackClients, FeedbackBatch, FeedbackDuration, cancellationToken).ConfigureAwait(false);
            var logged = await LoggedAsync(databasePath, cancellationToken).ConfigureAwait(false) - loggedBefore;
            progress?.Invoke($"batched feedback: {batchEvents} events, {batchPerSecond:N0} per second; the log gained {logged} rows for {events + batchEvents} acknowledged");

            TimeSpan? learned = null;
            var health = await WaitForHealthAsync(client, process, h => h.LearnedModel != "pending", learnedPatience, cancellationToken).ConfigureAwait(false);
            if (health?.LearnedModel == "arrived") learned = clock.Elapsed;
            progress?.Invoke(learned is { } at ? $"learned model arrived after {at.TotalSeconds:F1} s" : "learned model did not arrive");
            var after = learned is null ? [] : await LatenciesAsync(client, size, random, calls, cancellationToken).ConfigureAwait(false);
            var peak = Math.Max(readyRss, Status(process, "VmHWM:"));
            return new ScaleReport(size, build, readyAt, readyCpu, learned, readyRss, peak, latencies, events, perSecond, after)
            {
                BatchEvents = batchEvents,
                BatchPerSecond = batchPerSecond,
                Logged = logged,
            };
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(drainOut, drainErr).ConfigureAwait(false);
        }
    }

    private static async Task<List<LatencyRow>> LatenciesAsync(HttpClient client, ScaleSize size, Random random, int calls, CancellationToken cancellationToken)
    {
        string User() => UserName(random.Next(1, size.Users + 1));
        string Group() => string.Join(',', Enumerable.Range(0, 8).Select(_ => User()));
        var latencies = new List<LatencyRow>();
        foreach (var (name, url) in new (string, Func<string>)[]
        {
            ("/recommend/mood?mood=chill", () => $"/recommend/mood?mood=chill&user={User()}"),
            ("/recommend", () => $"/recommend?user={User()}"),
            ("/recommend/similar", () => $"/recommend/similar?song={random.Next(1, size.Tracks + 1)}"),
            ("/recommend/collaborative", () => $"/recommend/collaborative?user={User()}"),
            ("/recommend/group (8 users)", () => $"/recommend/group?users={Group()}"),
        })
        {
            latencies.Add(await LatencyAsync(client, name, url, calls, cancellationToken).ConfigureAwait(false));
        }
        return latencies;
    }

    internal sealed record Health(string Status, string LearnedModel);

    internal static async Task<Health?> WaitForHealthAsync(HttpClient client, Process process, Func<Health, bool> done, TimeSpan patience, CancellationToken cancellationToken)
    {
        var limit = Stopwatch.StartNew();
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Health? last = null;
        while (limit.Elapsed < patience)
        {
            if (process.HasExited) throw new InvalidOperationException($"spotmirror exited with code {process.ExitCode} before it was ready");
            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                last = await response.Content.ReadFromJsonAsync<Health>(options, cancellationToken).ConfigureAwait(false);
                if (last is not null && done(last)) return last;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        return last;
    }

    /// <summary>p50 and p99 of calls sequential GETs (after a tenth as many to warm up); null figures when the endpoint fails.</summary>
    public static async Task<LatencyRow> LatencyAsync(HttpClient client, string name, Func<string> url, int calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(url);
        for (var i = 0; i < Math.Max(5, calls / 10); i++)
        {
            using var warm = await client.GetAsync(new Uri(url(), UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (!warm.IsSuccessStatusCode) return new LatencyRow(name, null, null, 0);
        }
        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri(url(), UriKind.Relative), cancellationToken).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
        }
        Array.Sort(samples);
        return new LatencyRow(name, samples[calls / 2], samples[Math.Min(calls - 1, (int)Math.Ceiling(calls * 0.99) - 1)], calls);
    }

    public const int FeedbackClients = 32;
    public static readonly TimeSpan FeedbackDuration = TimeSpan.FromSeconds(5);

    /// <summary>
    /// callers clients post likes as fast as the answers come back for the duration, spread over the given workers'
    /// HTTP clients in turn; every 200 is a committed event. Each round draws other users and tracks (a like repeated on
    /// the same track is a committed no-change, cheaper than a new like).
    /// </summary>
    public static async Task<(int Events, double PerSecond)> FeedbackAsync(
        IReadOnlyList<HttpClient> workers, ScaleSize size, int callers, TimeSpan duration, CancellationToken cancellationToken, int round = 0)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(size);
        var count = 0;
        var clock = Stopwatch.StartNew();
        var posting = Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var client = workers[c % workers.Count];
            var random = new Random(c + 1000 * round);
            while (clock.Elapsed < duration)
            {
                var body = new { trackId = (long)random.Next(1, size.Tracks + 1), signal = random.Next(2) == 0 ? "like" : "love" };
                using var response = await client.PostAsJsonAsync(new Uri($"/users/{UserName(random.Next(1, size.Users + 1))}/feedback", UriKind.Relative), body, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref count);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(posting).ConfigureAwait(false);
        return (count, count / clock.Elapsed.TotalSeconds);
    }

    /// <summary>Events in one batched POST /feedback of the harness.</summary>
    public const int FeedbackBatch = 100;

    /// <summary>
    /// callers clients post batches of batch likes to POST /feedback as fast as the answers come back; every event
    /// answered 200 in a 200 response is a committed event. Every event carries an Idempotency-Key of its own, as a
    /// client that may resend would.
    /// </summary>
    public static async Task<(int Events, double PerSecond)> FeedbackBatchAsync(
        IReadOnlyList<HttpClient> workers, ScaleSize size, int callers, int batch, TimeSpan duration, CancellationToken cancellationToken, int round = 0)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(size);
        var count = 0;
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var posting = Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var client = workers[c % workers.Count];
            var random = new Random(c + 1000 * round + 500);
            var sent = 0;
            var body = new System.Buffers.ArrayBufferWriter<byte>(batch * 100);
            while (clock.Elapsed < duration)
            {
                // Written straight to bytes and the answer's counts read without building it: the client shares the
                // server's cores, so what it spends is taken from the rate it measures.
                body.ResetWrittenCount();
                using (var json = new Utf8JsonWriter(body))
                {
                    json.WriteStartArray();
                    for (var i = 0; i < batch; i++)
                    {
                        json.WriteStartObject();
                        json.WriteString("user", UserName(random.Next(1, size.Users + 1)));
                        json.WriteNumber("trackId", random.Next(1, size.Tracks + 1));
                        json.WriteString("signal", random.Next(2) == 0 ? "like" : "love");
                        json.WriteString("idempotencyKey", $"{run}-{c}-{sent++}");
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                using var content = new ReadOnlyMemoryContent(body.WrittenMemory);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(new Uri("/feedback", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                var acknowledged = Acknowledged(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
                Interlocked.Add(ref count, acknowledged);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(posting).ConfigureAwait(false);
        return (count, count / clock.Elapsed.TotalSeconds);
    }

    /// <summary>Events a batch's answer acknowledged (answered 200): its applied, duplicate and noChange counts, read off the top of it.</summary>
    private static int Acknowledged(byte[] answer)
    {
        var reader = new Utf8JsonReader(answer);
        var sum = 0;
        while (reader.Read() && reader.CurrentDepth <= 1)
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            if (reader.ValueTextEquals("results")) break;
            var counted = reader.ValueTextEquals("applied") || reader.ValueTextEquals("duplicate") || reader.ValueTextEquals("noChange");
            reader.Read();
            if (counted) sum += reader.GetInt32();
        }
        return sum;
    }

    /// <summary>Rows in the feedback log of a SQLite file, read beside the process that writes it (WAL lets a reader in).</summary>
    public static async Task<long> LoggedAsync(string databasePath, CancellationToken cancellationToken)
    {
        using var database = new SqliteDatabase(databasePath);
        return await database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM feedback_events", cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
    }

    internal static long Rss(Process process) => Status(process, "VmRSS:");

    /// <summary>A memory figure of /proc/PID/status (VmRSS: now, VmHWM: the most ever resident), in bytes.</summary>
    private static long Status(Process process, string field)
    {
        var status = $"/proc/{process.Id}/status";
        if (!File.Exists(status)) return 0;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The report as the README's table rows.</summary>
    public static IEnumerable<string> Describe(ScaleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Size;
        yield return FormattableString.Invariant($"size: {s.Tracks:N0} tracks, {s.Users:N0} users, {s.Preferences:N0} preference rows (database built in {report.Build.TotalSeconds:F1} s)");
        yield return FormattableString.Invariant($"ready after {report.Ready.TotalSeconds:F1} s ({report.ReadyCpu.TotalSeconds:F1} s of processor time); learned model arrived {(report.LearnedArrived is { } l ? $"after {l.TotalSeconds:F1} s" : "not within the patience given")}");
        yield return FormattableString.Invariant($"resident memory: {report.ReadyRssBytes / 1048576.0:N0} MiB when ready, {report.PeakRssBytes / 1048576.0:N0} MiB at most (VmHWM)");
        yield return "latencies from ready (during the first fit unless the model was already saved):";
        foreach (var row in report.Latencies) yield return Line(row);
        yield return FormattableString.Invariant($"durable feedback: {report.FeedbackEvents:N0} events in 5 s by 32 clients, {report.FeedbackPerSecond:N0} events/s");
        yield return FormattableString.Invariant($"durable feedback in batches of {FeedbackBatch} (POST /feedback): {report.BatchEvents:N0} events in 5 s by 32 clients, {report.BatchPerSecond:N0} events/s; the log gained {report.Logged:N0} rows for {report.FeedbackEvents + report.BatchEvents:N0} acknowledged events");
        if (report.LatenciesAfterModel.Count == 0) yield break;
        yield return "latencies after the learned model arrived:";
        foreach (var row in report.LatenciesAfterModel) yield return Line(row);

        static string Line(LatencyRow row) => row.P50 is null
            ? $"  {row.Operation,-28} not answered (endpoint missing or failing)"
            : FormattableString.Invariant($"  {row.Operation,-28} p50 {row.P50,7:F2} ms   p99 {row.P99,7:F2} ms   ({row.Calls} calls)");
    }
}
