using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>
/// Group commit (issue 13 item 5): units of work from concurrent callers that arrive while a transaction runs share
/// the next one, each under its own savepoint. The tests hold the writer with one unit, queue the others behind it
/// (the database says how many wait), then let go: what shares a commit is then decided, not left to timing.
/// </summary>
public abstract class GroupCommitTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly StoreProvider _provider;
    private readonly ITempDatabase _db;

    protected GroupCommitTests(StoreProvider provider)
    {
        _provider = provider;
        _db = ITempDatabase.Create(provider);
        _db.Database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE notes (text TEXT PRIMARY KEY)", transaction: t), CancellationToken.None)
            .GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _db.Dispose();
        GC.SuppressFinalize(this);
    }

    private IDatabase Database => _db.Database;

    [Fact]
    public async Task Units_that_arrive_while_a_commit_is_in_progress_share_the_next_commit()
    {
        var before = Database.Commits;
        var (holder, release) = await HoldTheWriterAsync(Database);

        var callers = Enumerable.Range(1, 8).Select(i => Task.Run(() => NoteAsync(Database, $"caller {i}"))).ToList();
        await WaitingAsync(Database, 8);
        release.SetResult();
        await Task.WhenAll(callers.Append(holder));

        var after = Database.Commits;
        Assert.Equal(9, after.Units - before.Units);
        Assert.Equal(2, after.Commits - before.Commits);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"caller {i}").Order(StringComparer.Ordinal), await NotesAsync(Database));
    }

    [Fact]
    public async Task Without_group_commit_every_unit_commits_alone()
    {
        using var alone = ITempDatabase.Create(_provider, groupCommit: false);
        await alone.Database.WriteAsync((c, t) => c.ExecuteAsync("CREATE TABLE notes (text TEXT PRIMARY KEY)", transaction: t), CancellationToken.None);
        var before = alone.Database.Commits;
        var (holder, release) = await HoldTheWriterAsync(alone.Database);

        var callers = Enumerable.Range(1, 4).Select(i => Task.Run(() => NoteAsync(alone.Database, $"caller {i}"))).ToList();
        await WaitingAsync(alone.Database, 4);
        release.SetResult();
        await Task.WhenAll(callers.Append(holder));

        Assert.Equal(5, alone.Database.Commits.Commits - before.Commits);
        Assert.Equal(4, (await NotesAsync(alone.Database)).Count);
    }

    public static TheoryData<string, bool> Failures => new()
    {
        { "an exception of the caller's own code", false },
        { "an error of the database (a duplicate key)", true },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failing_caller_takes_back_only_its_own_writes_and_gets_its_own_exception(string failure, bool databaseError)
    {
        var ran = new ConcurrentQueue<string>();
        var before = Database.Commits;
        var (holder, release) = await HoldTheWriterAsync(Database);

        var first = Task.Run(() => NoteAsync(Database, "first", ran));
        await WaitingAsync(Database, 1);
        var failing = Task.Run(() => Database.RunAsync<int>(async (unit, ct) =>
        {
            await Write(unit, "the failing caller's write", ran, ct);
            if (databaseError) await Write(unit, "first", ran, ct);
            throw new InvalidOperationException("the failing caller's own failure");
        }, CancellationToken.None));
        await WaitingAsync(Database, 2);
        var last = Task.Run(() => NoteAsync(Database, "last", ran));
        await WaitingAsync(Database, 3);
        release.SetResult();
        await Task.WhenAll(holder, first, last);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => failing);
        Assert.True(databaseError ? error is DbException : error.Message == "the failing caller's own failure", $"{failure}: got {error}");
        Assert.Equal(["first", "last"], await NotesAsync(Database));
        Assert.Equal(["first", "last"], ran);
        Assert.Equal(2, Database.Commits.Commits - before.Commits);
    }

    [Fact]
    public async Task After_commit_actions_run_in_commit_order_and_each_caller_returns_only_once_its_write_is_committed()
    {
        var ran = new ConcurrentQueue<string>();
        var (holder, release) = await HoldTheWriterAsync(Database);
        var names = new[] { "a", "b", "c", "d", "e" };
        var callers = new List<Task<bool>>();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            callers.Add(Task.Run(async () =>
            {
                await NoteAsync(Database, name, ran);
                // Another connection sees the write the moment the caller is released: acknowledged after its commit.
                return (await NotesAsync(Database)).Contains(name);
            }));
            await WaitingAsync(Database, i + 1);
        }
        release.SetResult();
        await holder;

        Assert.All(await Task.WhenAll(callers), Assert.True);
        Assert.Equal(names, ran);
    }

    [Fact]
    public async Task A_caller_cancelled_while_it_waits_leaves_without_writing_and_the_others_commit()
    {
        var (holder, release) = await HoldTheWriterAsync(Database);
        using var cancel = new CancellationTokenSource();
        var cancelled = Task.Run(() => Database.RunAsync(async (unit, ct) => await Write(unit, "cancelled", null, ct), cancel.Token));
        await WaitingAsync(Database, 1);
        var kept = Task.Run(() => NoteAsync(Database, "kept"));
        await WaitingAsync(Database, 2);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        release.SetResult();
        await Task.WhenAll(holder, kept);

        Assert.Equal(["kept"], await NotesAsync(Database));
    }

    [Fact]
    public async Task Every_feedback_event_is_applied_exactly_once_when_its_redeliveries_arrive_together()
    {
        using var store = new StoreFixture(_provider);
        var user = await store.UserAsync();
        var track = store.TrackIds[0];
        var afterCommit = 0;
        var (holder, release) = await HoldTheWriterAsync(store.Db.Database);

        // Thirty-two events, each delivered twice at once: both copies wait for the same transaction.
        var deliveries = Enumerable.Range(0, 32).SelectMany(e => new[] { e, e }).Select(e => Task.Run(() => store.Db.Database.RunAsync(async (unit, ct) =>
        {
            var result = await store.Preferences.ApplyAsync(unit, Like($"event-{e}", user, $"m{e}", track), ct);
            if (result.Outcome == FeedbackOutcome.Applied) unit.OnCommitted(() => Interlocked.Increment(ref afterCommit));
            return (Event: e, result.Outcome);
        }, CancellationToken.None))).ToList();
        await WaitingAsync(store.Db.Database, 64);
        release.SetResult();
        await holder;
        var outcomes = await Task.WhenAll(deliveries);

        Assert.All(outcomes.GroupBy(o => o.Event), g => Assert.Equal([FeedbackOutcome.Applied, FeedbackOutcome.Duplicate], g.Select(o => o.Outcome).Order()));
        Assert.Equal(32, afterCommit);
        var logged = await store.Db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM feedback_events"), CancellationToken.None);
        Assert.Equal(32, logged);
        var score = await store.Db.Database.ReadAsync(c => c.ExecuteScalarAsync<double>(
            "SELECT score FROM preferences WHERE user_id = @user AND track_id = @track", new { user, track }), CancellationToken.None);
        // Each like adds its delta (1.0) once; all carry one time, so nothing decays between them.
        Assert.Equal(32.0, score, 6);
    }

    [Fact]
    public async Task The_cells_of_every_unit_sharing_a_commit_are_one_change_in_the_order_made_without_those_of_a_unit_that_failed()
    {
        using var store = new StoreFixture(_provider);
        var (ana, bea, cy) = (await store.UserAsync("ana"), await store.UserAsync("bea"), await store.UserAsync("cy"));
        var feed = new SqlChangeFeed(store.Db.Database);
        var start = await feed.LastIdAsync(CancellationToken.None);
        var (holder, release) = await HoldTheWriterAsync(store.Db.Database);

        // Queued one after another, so the transaction runs them in this order.
        var first = Task.Run(() => store.Db.Database.RunAsync((unit, ct) => store.Preferences.ApplyAsync(unit, Like("a", ana, "m1", store.TrackIds[0]), ct), CancellationToken.None));
        await WaitingAsync(store.Db.Database, 1);
        var failing = Task.Run(() => store.Db.Database.RunAsync<FeedbackResult>(async (unit, ct) =>
        {
            await store.Preferences.ApplyAsync(unit, Like("b", bea, "m2", store.TrackIds[1]), ct);
            throw new InvalidOperationException("this caller fails after its feedback");
        }, CancellationToken.None));
        await WaitingAsync(store.Db.Database, 2);
        var third = Task.Run(() => store.Db.Database.RunAsync((unit, ct) => store.Preferences.ApplyAsync(unit, Like("c", cy, "m3", store.TrackIds[2]), ct), CancellationToken.None));
        await WaitingAsync(store.Db.Database, 3);
        release.SetResult();
        await holder;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        var applied = new[] { await first, await third };

        var change = Assert.Single(await feed.AfterAsync(start, 100, CancellationToken.None));
        Assert.Equal(ChangeKind.Preferences, change.Kind);
        Assert.Null(change.UserId);
        Assert.Equal(applied.SelectMany(a => a.Changed), change.Entries);
        Assert.Equal([(ana, store.TrackIds[0]), (cy, store.TrackIds[2])], change.Entries.Select(e => (e.UserId, e.TrackId)));
    }

    [Fact]
    public async Task The_writer_writes_again_after_a_transaction_that_failed_on_a_statement()
    {
        await NoteAsync(Database, "kept");
        await Assert.ThrowsAnyAsync<DbException>(() => Database.RunAsync(async (unit, ct) =>
        {
            await Write(unit, "taken back", null, ct);
            return await Write(unit, "kept", null, ct);
        }, CancellationToken.None));

        await NoteAsync(Database, "after");
        await NoteAsync(Database, "and after");

        Assert.Equal(["after", "and after", "kept"], await NotesAsync(Database));
    }

    private static FeedbackCommand Like(string eventId, long user, string message, long track) =>
        new(eventId, user, "test", "chat", message, "👍", null, true, FeedbackSignal.Like, [new TrackDelta(track, 1.0, false)],
            new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>A unit that holds the writer until released, so the units started meanwhile queue behind it.</summary>
    private static async Task<(Task Holder, TaskCompletionSource Release)> HoldTheWriterAsync(IDatabase database)
    {
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = database.RunAsync(async (_, _) =>
        {
            inside.SetResult();
            await release.Task;
            return 0;
        }, CancellationToken.None);
        await inside.Task.WaitAsync(Patience);
        return (holder, release);
    }

    private static Task<int> WaitingAsync(IDatabase database, int count) =>
        Eventually.WaitAsync(() => Task.FromResult(database.Commits.Waiting), w => w == count, Patience, w => $"{w} units wait for the writer, not {count}");

    private static Task<int> NoteAsync(IDatabase database, string text, ConcurrentQueue<string>? ran = null) =>
        database.RunAsync((unit, ct) => WriteOn(database, unit, text, ran, ct), CancellationToken.None);

    private Task<int> Write(IUnitOfWork unit, string text, ConcurrentQueue<string>? ran, CancellationToken cancellationToken) =>
        WriteOn(Database, unit, text, ran, cancellationToken);

    private static Task<int> WriteOn(IDatabase database, IUnitOfWork unit, string text, ConcurrentQueue<string>? ran, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, (c, t) =>
        {
            if (ran is not null) unit.OnCommitted(() => ran.Enqueue(text));
            return c.ExecuteAsync(new CommandDefinition("INSERT INTO notes (text) VALUES (@text)", new { text }, t, cancellationToken: cancellationToken));
        }, cancellationToken);

    private static async Task<List<string>> NotesAsync(IDatabase database) =>
        (await database.ReadAsync(c => c.QueryAsync<string>("SELECT text FROM notes"), CancellationToken.None)).Order(StringComparer.Ordinal).ToList();
}

public sealed class GroupCommitOnSqliteTests() : GroupCommitTests(StoreProvider.Sqlite);

public sealed class GroupCommitOnPostgresTests() : GroupCommitTests(StoreProvider.Postgres);
