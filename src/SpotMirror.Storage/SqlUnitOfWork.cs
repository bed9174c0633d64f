using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>
/// A unit of work over one connection and its transaction, for either provider. Steps are savepoints; the
/// actions to run after commit are kept in order and cut back when a step fails.
/// </summary>
public sealed class SqlUnitOfWork : IUnitOfWork
{
    private readonly List<Action> _committed = [];
    private int _depth;

    internal SqlUnitOfWork(IDatabase database, DbConnection connection, DbTransaction transaction)
    {
        Database = database;
        Connection = connection;
        Transaction = transaction;
    }

    internal IDatabase Database { get; }
    internal DbConnection Connection { get; }
    internal DbTransaction Transaction { get; }

    public void OnCommitted(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _committed.Add(action);
    }

    public async Task<T> StepAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Steps nest strictly (one finishes before the next begins), so a name per depth is unique where it matters.
        var name = $"s{++_depth}";
        var actions = _committed.Count;
        var changes = ChangeBuffer.Of(Transaction);
        var mark = changes?.Mark;
        try
        {
            await Statements.SavepointAsync(Connection, Transaction, Savepoint.Save, name, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await work(cancellationToken).ConfigureAwait(false);
                await Statements.SavepointAsync(Connection, Transaction, Savepoint.Release, name, cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch
            {
                // Not the caller's token: the step is taken back even when its failure was a cancellation.
                await Statements.SavepointAsync(Connection, Transaction, Savepoint.Rollback, name, CancellationToken.None).ConfigureAwait(false);
                await Statements.SavepointAsync(Connection, Transaction, Savepoint.Release, name, CancellationToken.None).ConfigureAwait(false);
                _committed.RemoveRange(actions, _committed.Count - actions);
                if (mark is { } taken) changes!.Restore(taken);
                throw;
            }
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>The unit behind a port's unit of work; a unit of another database is a mistake.</summary>
    internal static SqlUnitOfWork Of(IUnitOfWork unit, IDatabase database)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (unit is not SqlUnitOfWork sql || !ReferenceEquals(sql.Database, database))
        {
            throw new ArgumentException("This unit of work belongs to another database; open it with this database's transactions.", nameof(unit));
        }
        return sql;
    }

    /// <summary>A write in a unit of its own: straight on the unit's transaction, which commits or rolls back as a whole.</summary>
    internal static Task<T> WriteAloneAsync<T>(IDatabase database, Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        database.RunAsync((unit, _) =>
        {
            var sql = Of(unit, database);
            return work(sql.Connection, sql.Transaction);
        }, cancellationToken);

    /// <summary>A write that joins an open unit as one step of it.</summary>
    internal static Task<T> WriteInAsync<T>(IDatabase database, IUnitOfWork unit, Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var sql = Of(unit, database);
        return sql.StepAsync(_ => work(sql.Connection, sql.Transaction), cancellationToken);
    }

    /// <summary>
    /// One statement that joins an open unit. SQLite takes back a failed statement alone and keeps the transaction,
    /// so there it needs no savepoint (two statements fewer); PostgreSQL aborts the whole transaction on any error,
    /// so there it is a step like any other.
    /// </summary>
    internal static Task<T> WriteStatementInAsync<T>(IDatabase database, IUnitOfWork unit, Func<IDbConnection, IDbTransaction, Task<T>> statement, CancellationToken cancellationToken)
    {
        var sql = Of(unit, database);
        return sql.Connection is SqliteConnection
            ? statement(sql.Connection, sql.Transaction)
            : sql.StepAsync(_ => statement(sql.Connection, sql.Transaction), cancellationToken);
    }

    internal void RunCommitted()
    {
        foreach (var action in _committed) action();
        _committed.Clear();
    }
}

/// <summary>Units of work over the configured database (Core's transactions port).</summary>
public sealed class SqlTransactions(IDatabase database) : ITransactions
{
    public Task<T> RunAsync<T>(Func<IUnitOfWork, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        database.RunAsync(work, cancellationToken);
}
