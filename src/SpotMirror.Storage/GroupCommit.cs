using System.Data.Common;
using System.Runtime.ExceptionServices;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Service;

namespace SpotMirror.Storage;

/// <summary>How a database has committed its units of work so far: fewer commits than units is group commit at work.</summary>
public sealed record CommitCounts(long Units, long Commits, int Waiting);

/// <summary>
/// Group commit, the one writer of a database in this process. Units of work that arrive while a transaction is
/// in progress wait; the next transaction takes all of them, each under a savepoint of its own (a unit that throws
/// takes back only its own writes and gets its own exception), and commits once for all. Then every unit's
/// after-commit actions run in the order the units ran, before the next transaction begins, and only then are their
/// callers released: an acknowledgement still follows its commit, and memory still follows the commits in order.
/// The caller whose unit heads the queue runs the transaction (leader), so no thread of its own is needed. The preference
/// cells the units change are written to the change feed as one row per transaction (<see cref="ChangeBuffer"/>), last
/// before the commit; the connection goes back to the database to keep only when the transaction committed.
/// </summary>
internal sealed class GroupCommit(
    IDatabase database,
    Func<CancellationToken, Task<(DbConnection Connection, DbTransaction Transaction)>> begin,
    Func<Exception, DbConnection?, bool, Exception> translate,
    int maxUnits,
    Func<DbConnection, bool, ValueTask> release)
{
    /// <summary>Units in one transaction at most: enough to amortise a commit, few enough to keep a transaction short.</summary>
    public const int DefaultMaxUnits = 512;

    private readonly List<Pending> _queue = [];
    private readonly AsyncLocal<bool> _open = new();
    private bool _leading;
    private long _units;
    private long _commits;

    public CommitCounts Counts
    {
        get
        {
            lock (_queue) return new CommitCounts(Interlocked.Read(ref _units), Interlocked.Read(ref _commits), _queue.Count);
        }
    }

    public async Task<T> RunAsync<T>(Func<IUnitOfWork, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Only a guard: a unit opened inside a unit would wait for the transaction that runs it, for ever.
        if (_open.Value) throw new InvalidOperationException("A unit of work is already open on this flow; pass it to the write instead of opening another.");
        cancellationToken.ThrowIfCancellationRequested();
        var unit = new Pending<T>(work, cancellationToken);
        bool lead;
        lock (_queue)
        {
            _queue.Add(unit);
            lead = !_leading;
            _leading = true;
        }
        if (lead || await WaitForTurnAsync(unit, cancellationToken).ConfigureAwait(false))
        {
            await LeadAsync().ConfigureAwait(false);
        }
        if (unit.Failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        return unit.Result!;
    }

    /// <summary>True when this unit is to lead the next transaction; false when another leader's transaction settled it.</summary>
    private async Task<bool> WaitForTurnAsync(Pending unit, CancellationToken cancellationToken)
    {
        try
        {
            return await unit.Turn.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_queue)
            {
                // Still queued: nothing of it was written, so it may leave; a lead it was handed passes on.
                if (_queue.Remove(unit))
                {
                    if (unit.Turn.Task.IsCompleted) HandOnLocked();
                    throw;
                }
            }
        }
        // Already inside a transaction: its caller learns that transaction's outcome, never a guess.
        return await unit.Turn.Task.ConfigureAwait(false);
    }

    private async Task LeadAsync()
    {
        List<Pending> batch;
        lock (_queue)
        {
            var count = Math.Min(_queue.Count, maxUnits);
            batch = _queue.GetRange(0, count);
            _queue.RemoveRange(0, count);
        }
        try
        {
            var committed = await CommitAsync(batch).ConfigureAwait(false);
            if (committed)
            {
                foreach (var unit in batch)
                {
                    if (unit.Failure is not null) continue;
                    try
                    {
                        unit.Work!.RunCommitted();
                    }
                    catch (Exception exception)
                    {
                        unit.Failure = exception;
                    }
                }
            }
        }
        finally
        {
            lock (_queue) HandOnLocked();
            foreach (var unit in batch) unit.Turn.TrySetResult(false);
        }
    }

    /// <summary>Hands the lead to the unit at the head of the queue, or lays it down. Called under the queue's lock.</summary>
    private void HandOnLocked()
    {
        if (_queue.Count == 0) _leading = false;
        else _queue[0].Turn.TrySetResult(true);
    }

    /// <summary>Runs the batch in one transaction; true when it committed. Every failure lands on the units it concerns.</summary>
    private async Task<bool> CommitAsync(List<Pending> batch)
    {
        Interlocked.Add(ref _units, batch.Count);
        DbConnection connection;
        DbTransaction transaction;
        try
        {
            // Not any caller's token: one caller's cancellation must not abort the others' transaction.
            (connection, transaction) = await begin(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            FailAll(batch, translate(exception, null, false));
            return false;
        }
        var committed = false;
        try
        {
            committed = await RunAndCommitAsync(batch, connection, transaction).ConfigureAwait(false);
        }
        finally
        {
            // Only a connection whose transaction committed is known to be in a good state: any other is dropped.
            await release(connection, committed).ConfigureAwait(false);
        }
        return committed;
    }

    private async Task<bool> RunAndCommitAsync(List<Pending> batch, DbConnection connection, DbTransaction transaction)
    {
        await using (transaction.ConfigureAwait(false))
        {
            var committing = false;
            var changes = ChangeBuffer.Attach(transaction);
            try
            {
                if (batch.Count == 1)
                {
                    // Alone, the transaction is the unit's own: no savepoint, exactly one unit of work as before grouping.
                    await RunInCallerContextAsync(batch[0], connection, transaction).ConfigureAwait(false);
                }
                else
                {
                    for (var i = 0; i < batch.Count; i++) await RunUnderSavepointAsync(batch[i], connection, transaction, changes).ConfigureAwait(false);
                    if (batch.TrueForAll(u => u.Failure is not null)) return false;
                }
                // The cells every unit kept, as one change written last: followers replay them in the order they were made.
                await changes.FlushAsync(connection, transaction).ConfigureAwait(false);
                committing = true;
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _commits);
                Telemetry.UnitsCommitted(batch.Count(u => u.Failure is null));
                return true;
            }
            catch (Exception exception)
            {
                // The transaction as a whole failed (or the lone unit did): nothing of it was committed. Translated
                // while the connection is still open, so a lost one can be told from a closed one.
                FailAll(batch, translate(exception, connection, committing));
                return false;
            }
        }
    }

    private static void FailAll(List<Pending> batch, Exception failure)
    {
        foreach (var unit in batch) unit.Failure ??= failure;
    }

    /// <summary>One unit under a savepoint; one name serves them all, as each is released before the next is taken.</summary>
    private async Task RunUnderSavepointAsync(Pending unit, DbConnection connection, DbTransaction transaction, ChangeBuffer changes)
    {
        const string savepoint = "g";
        var mark = changes.Mark;
        await Statements.SavepointAsync(connection, transaction, Savepoint.Save, savepoint, CancellationToken.None).ConfigureAwait(false);
        try
        {
            await RunInCallerContextAsync(unit, connection, transaction).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            unit.Failure = translate(exception, connection, false);
            // Should taking back fail too, the transaction is broken: that reaches every unit through the caller.
            await Statements.SavepointAsync(connection, transaction, Savepoint.Rollback, savepoint, CancellationToken.None).ConfigureAwait(false);
            changes.Restore(mark);
        }
        await Statements.SavepointAsync(connection, transaction, Savepoint.Release, savepoint, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the caller's work in the caller's own execution context (its async-locals, its activity), marked as
    /// inside a unit so that opening another one there is refused rather than waiting for itself.
    /// </summary>
    private Task RunInCallerContextAsync(Pending unit, DbConnection connection, DbTransaction transaction)
    {
        var work = new SqlUnitOfWork(database, connection, transaction);
        unit.Work = work;
        Task? running = null;
        void Start()
        {
            _open.Value = true;
            running = unit.RunAsync(work);
        }
        if (unit.Context is { } context) ExecutionContext.Run(context, _ => Start(), null);
        else Start();
        return running!;
    }

    private abstract class Pending(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public ExecutionContext? Context { get; } = ExecutionContext.Capture();

        /// <summary>True: lead the next transaction. False: a transaction settled this unit (see Failure).</summary>
        public TaskCompletionSource<bool> Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SqlUnitOfWork? Work { get; set; }
        public Exception? Failure { get; set; }

        public abstract Task RunAsync(SqlUnitOfWork unit);
    }

    private sealed class Pending<T>(Func<IUnitOfWork, CancellationToken, Task<T>> work, CancellationToken cancellationToken) : Pending(cancellationToken)
    {
        public T? Result { get; private set; }

        public override async Task RunAsync(SqlUnitOfWork unit) => Result = await work(unit, CancellationToken).ConfigureAwait(false);
    }
}
