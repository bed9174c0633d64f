using System.Diagnostics;
using Dapper;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Storage;
using SpotMirror.Storage.Catalog;
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
    private readonly TempDatabase _database;
    private readonly FeedbackUseCase _feedback;
    private readonly SqlTransactions _transactions;
    private readonly long[] _users;
    private readonly long[] _tracks;
    private long _next;

    private FeedbackBurst(TempDatabase database, PreferenceMatrix matrix, long[] users, long[] tracks)
    {
        _database = database;
        var learner = new PreferenceLearner(new LearningOptions());
        _feedback = new FeedbackUseCase(learner, new SqlPreferenceStore(database.Database, learner), matrix);
        _transactions = new SqlTransactions(database.Database);
        _users = users;
        _tracks = tracks;
    }

    /// <param name="groupCommit">False is main's path before group commit: one transaction per caller, one at a time.</param>
    public static async Task<FeedbackBurst> CreateAsync(bool groupCommit, PreferenceMatrix matrix, int users, CancellationToken cancellationToken)
    {
        var database = new TempDatabase(groupCommit);
        try
        {
            await new Migrator(database.Database).MigrateAsync(cancellationToken);
            var catalog = new SqlCatalogStore(database.Database);
            await catalog.UpsertAsync(StarterCatalog.Load(), cancellationToken);
            var tracks = (await catalog.LoadAsync(cancellationToken)).Select(t => t.Id).ToArray();
            var directory = new SqlUserDirectory(database.Database);
            var ids = new long[users];
            for (var u = 0; u < users; u++) ids[u] = await directory.ResolveAsync(new ChatUser(Platform, $"user-{u + 1}", $"Listener {u + 1}"), cancellationToken);
            return new FeedbackBurst(database, matrix, ids, tracks);
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
        var commitsBefore = _database.Database.Commits.Commits;
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
        return new BurstResult(acknowledged, clock.Elapsed, _database.Database.Commits.Commits - commitsBefore);
    }

    /// <summary>
    /// The statements' own cost per event, with no commit and no waiting: events applied one after another inside a
    /// single unit of work. One writer runs every transaction's statements, so this bounds any grouped rate.
    /// </summary>
    public async Task<TimeSpan> StatementsPerEventAsync(int events, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await _transactions.RunAsync(async (unit, ct) =>
        {
            for (var i = 0; i < events; i++) await _feedback.ApplyAsync(unit, Next(), ct);
            return 0;
        }, cancellationToken);
        return clock.Elapsed / events;
    }

    /// <summary>One statement's cost here: bare inserts of a feedback row, one after another in a single transaction.</summary>
    public async Task<TimeSpan> OneStatementAsync(int statements, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await _database.Database.WriteAsync(async (connection, transaction) =>
        {
            for (var i = 0; i < statements; i++)
            {
                var n = Interlocked.Increment(ref _next);
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO feedback_events (event_id, user_id, platform, chat_id, message_id, emoji, item_index, action, signal, outcome, created_at) " +
                    "VALUES (@id, @user, 'burst', 'chat', @message, '👍', 1, 'add', 'like', 'applied', @at)",
                    new { id = $"bare-{n}", user = _users[n % _users.Length], message = $"bare-{n}", at = IDatabase.Now() }, transaction, cancellationToken: cancellationToken));
            }
            return 0;
        }, cancellationToken);
        return clock.Elapsed / statements;
    }

    /// <summary>Events in the feedback log (the bare rows of <see cref="OneStatementAsync"/> aside): after every burst, exactly the acknowledged ones.</summary>
    public Task<long> LoggedAsync(CancellationToken cancellationToken) =>
        _database.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM feedback_events WHERE event_id LIKE 'burst-%'", cancellationToken: cancellationToken)), cancellationToken);

    private FeedbackInput Next()
    {
        var n = Interlocked.Increment(ref _next);
        return new FeedbackInput($"burst-{n}", _users[n % _users.Length], Platform, "chat", $"message-{n}", "👍", 1, FeedbackSignal.Like,
            [_tracks[(n * 7) % _tracks.Length]], true, DateTimeOffset.UtcNow);
    }

    public void Dispose() => _database.Dispose();
}
