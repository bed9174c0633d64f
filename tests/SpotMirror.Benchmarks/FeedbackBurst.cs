using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;
using SpotMirror.UseCases;

namespace SpotMirror.Benchmarks;

/// <summary>What one burst did: events acknowledged (each committed before its caller heard back), over how long, in how many commits.</summary>
public sealed record BurstResult(long Events, TimeSpan Elapsed, long Commits)
{
    public double PerSecond => Events / Elapsed.TotalSeconds;
}

/// <summary>
/// Reactions as a burst brings them: many concurrent callers of <see cref="FeedbackUseCase"/>, each with a unit of
/// work of its own (as each front end's request or batch has), on a real SQLite file, into the given in-memory
/// matrix. Every event is a new like on a new message, so each one logs, records its active reaction and upserts a
/// preference; the count is taken from the callers' returns, and checked against the feedback log at the end.
/// </summary>
public sealed class FeedbackBurst : IDisposable
{
    private const string Platform = "burst";
    private readonly SqliteDatabase _database;
    private readonly TempDatabase? _temporary;
    private readonly FeedbackUseCase _feedback;
    private readonly SqlTransactions _transactions;
    private readonly long[] _users;
    private readonly long[] _tracks;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _next;

    private FeedbackBurst(SqliteDatabase database, TempDatabase? temporary, PreferenceMatrix matrix, long[] users, long[] tracks)
    {
        _database = database;
        _temporary = temporary;
        var learner = new PreferenceLearner(new LearningOptions());
        _feedback = new FeedbackUseCase(learner, new SqlPreferenceStore(database, learner), matrix);
        _transactions = new SqlTransactions(database);
        _users = users;
        _tracks = tracks;
    }

    /// <param name="groupCommit">False is main's path before group commit: one transaction per caller, one at a time.</param>
    public static async Task<FeedbackBurst> CreateAsync(bool groupCommit, PreferenceMatrix matrix, int users, CancellationToken cancellationToken)
    {
        var database = new TempDatabase(groupCommit);
        try
        {
            var (ids, tracks) = await FeedbackSeed.CreateAsync(database.Database, Platform, users, cancellationToken);
            return new FeedbackBurst(database.Database, database, matrix, ids, tracks);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The same burst on an existing database (a copy of a scale run's file, written to): its first users and
    /// tracks, so the preference lookups and inserts meet tables of that size.
    /// </summary>
    public static async Task<FeedbackBurst> OpenAsync(string path, PreferenceMatrix matrix, int users, CancellationToken cancellationToken)
    {
        var database = new SqliteDatabase(path);
        try
        {
            var ids = (await database.ReadAsync(c => c.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM users ORDER BY id LIMIT @users", new { users }, cancellationToken: cancellationToken)), cancellationToken)).ToArray();
            var tracks = (await database.ReadAsync(c => c.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM tracks ORDER BY id", cancellationToken: cancellationToken)), cancellationToken)).ToArray();
            return new FeedbackBurst(database, null, matrix, ids, tracks);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>callers concurrent callers, each applying one event after another for the duration.</summary>
    public async Task<BurstResult> RunAsync(int callers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var acknowledged = 0L;
        var commitsBefore = _database.Commits.Commits;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var input = Next();
                var done = await _transactions.RunAsync((unit, ct) => _feedback.ApplyAsync(unit, input, ct), cancellationToken);
                if (done.Outcome != FeedbackOutcome.Applied) throw new InvalidOperationException($"Feedback event {input.EventId} came back {done.Outcome}.");
                Interlocked.Increment(ref acknowledged);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        return new BurstResult(acknowledged, clock.Elapsed, _database.Commits.Commits - commitsBefore);
    }

    /// <summary>
    /// The statements' own cost per event, with no commit and no waiting: events applied one after another inside a
    /// single unit of work. One writer runs every transaction's statements, so this bounds any grouped rate.
    /// </summary>
    public async Task<(TimeSpan Wall, TimeSpan Cpu)> StatementsPerEventAsync(int events, CancellationToken cancellationToken)
    {
        // Processor time too: on a shared machine the wall clock counts the neighbours, the process's own time hardly.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await _transactions.RunAsync(async (unit, ct) =>
        {
            for (var i = 0; i < events; i++) await _feedback.ApplyAsync(unit, Next(), ct);
            return 0;
        }, cancellationToken);
        return (clock.Elapsed / events, (Process.GetCurrentProcess().TotalProcessorTime - cpu) / events);
    }

    /// <summary>One statement's cost here: bare inserts of a feedback row, one after another in a single transaction.</summary>
    public async Task<TimeSpan> OneStatementAsync(int statements, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await _database.WriteAsync(async (connection, transaction) =>
        {
            for (var i = 0; i < statements; i++)
            {
                var n = Interlocked.Increment(ref _next);
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO feedback_events (event_id, user_id, platform, chat_id, message_id, emoji, item_index, action, signal, outcome, created_at) " +
                    "VALUES (@id, @user, 'burst', 'chat', @message, '👍', 1, 'add', 'like', 'applied', @at)",
                    new { id = $"bare-{_run}-{n}", user = _users[n % _users.Length], message = $"bare-{_run}-{n}", at = IDatabase.Now() }, transaction, cancellationToken: cancellationToken));
            }
            return 0;
        }, cancellationToken);
        return clock.Elapsed / statements;
    }

    /// <summary>
    /// The same bare insert through one SqliteCommand kept and re-executed with new values, as a per-connection
    /// statement cache would: what preparing each statement afresh (Dapper's way) costs is the difference.
    /// </summary>
    public async Task<TimeSpan> ReusedStatementAsync(int statements, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await _database.WriteAsync(async (connection, transaction) =>
        {
            using var command = ((SqliteConnection)connection).CreateCommand();
            command.Transaction = (SqliteTransaction)transaction;
            command.CommandText =
                "INSERT INTO feedback_events (event_id, user_id, platform, chat_id, message_id, emoji, item_index, action, signal, outcome, created_at) " +
                "VALUES (@id, @user, 'burst', 'chat', @message, '👍', 1, 'add', 'like', 'applied', @at)";
            var id = command.Parameters.Add("@id", SqliteType.Text);
            var user = command.Parameters.Add("@user", SqliteType.Integer);
            var message = command.Parameters.Add("@message", SqliteType.Text);
            var at = command.Parameters.Add("@at", SqliteType.Integer);
            for (var i = 0; i < statements; i++)
            {
                var n = Interlocked.Increment(ref _next);
                (id.Value, user.Value, message.Value, at.Value) = ($"reused-{_run}-{n}", _users[n % _users.Length], $"reused-{_run}-{n}", IDatabase.Now());
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return 0;
        }, cancellationToken);
        return clock.Elapsed / statements;
    }

    /// <summary>Events in the feedback log (the bare rows of <see cref="OneStatementAsync"/> aside): after every burst, exactly the acknowledged ones.</summary>
    public Task<long> LoggedAsync(CancellationToken cancellationToken) =>
        _database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM feedback_events WHERE event_id LIKE @prefix", new { prefix = $"burst-{_run}-%" }, cancellationToken: cancellationToken)), cancellationToken);

    private FeedbackInput Next()
    {
        var n = Interlocked.Increment(ref _next);
        return new FeedbackInput($"burst-{_run}-{n}", _users[n % _users.Length], Platform, "chat", $"message-{_run}-{n}", "👍", 1, FeedbackSignal.Like,
            [_tracks[(n * 7) % _tracks.Length]], true, DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// `--feedback-burst [--db PATH]`: the group-commit burst alone (a fresh file with the starter catalogue, or a
    /// copy of a scale database), then the statements' cost per event and one bare insert's, in this one run.
    /// </summary>
    public static async Task<int> ReportAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var learner = new PreferenceLearner(new LearningOptions());
        using var matrix = new PreferenceMatrix(learner, DateTimeOffset.UtcNow);
        var path = ProcessScaleRun.Text(args, "--db");
        using var burst = path is null
            ? await CreateAsync(groupCommit: true, matrix, 1_000, cancellationToken)
            : await OpenAsync(path, matrix, 1_000, cancellationToken);
        await burst.RunAsync(Callers, TimeSpan.FromSeconds(1), cancellationToken);
        var rounds = new List<BurstResult>();
        for (var round = 0; round < 3; round++) rounds.Add(await burst.RunAsync(Callers, TimeSpan.FromSeconds(3), cancellationToken));
        var median = rounds.OrderBy(r => r.PerSecond).ElementAt(1);
        var logged = await burst.LoggedAsync(cancellationToken);
        output.WriteLine(FormattableString.Invariant(
            $"feedback burst on {path ?? "a fresh file"}, {Callers} callers: {median.PerSecond:N0} events/s median of 3 rounds of 3 s ({string.Join(", ", rounds.Select(r => r.PerSecond.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}); {median.Events / (double)Math.Max(1, median.Commits):F1} events per commit; acknowledged {rounds.Sum(r => r.Events) + 0:N0} in rounds, logged {logged:N0} with warm-up"));
        for (var round = 0; round < 3; round++)
        {
            var (wall, cpu) = await burst.StatementsPerEventAsync(5_000, cancellationToken);
            var statement = await burst.OneStatementAsync(5_000, cancellationToken);
            var reused = await burst.ReusedStatementAsync(5_000, cancellationToken);
            output.WriteLine(FormattableString.Invariant(
                $"per event: its statements inside one transaction {wall.TotalMicroseconds:F0} µs wall, {cpu.TotalMicroseconds:F0} µs processor (a single writer's ceiling {1 / wall.TotalSeconds:N0}/s); one bare insert {statement.TotalMicroseconds:F0} µs through Dapper, {reused.TotalMicroseconds:F1} µs through one command kept prepared"));
        }
        return 0;
    }

    private const int Callers = 64;

    public void Dispose()
    {
        if (_temporary is not null) _temporary.Dispose();
        else _database.Dispose();
    }
}
