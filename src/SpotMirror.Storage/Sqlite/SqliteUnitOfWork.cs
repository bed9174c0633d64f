using Microsoft.Data.Sqlite;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage.Sqlite;

/// <summary>
/// A unit of work over one SQLite connection and its transaction. Steps are savepoints; the actions to run
/// after commit are kept in order and cut back when a step fails.
/// </summary>
public sealed class SqliteUnitOfWork : IUnitOfWork
{
    private readonly List<Action> _committed = [];
    private int _savepoints;

    internal SqliteUnitOfWork(SqliteDatabase database, SqliteConnection connection, SqliteTransaction transaction)
    {
        Database = database;
        Connection = connection;
        Transaction = transaction;
    }

    internal SqliteDatabase Database { get; }
    internal SqliteConnection Connection { get; }
    internal SqliteTransaction Transaction { get; }

    public void OnCommitted(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _committed.Add(action);
    }

    public async Task<T> StepAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var name = $"s{++_savepoints}";
        var actions = _committed.Count;
        Transaction.Save(name);
        try
        {
            var result = await work(cancellationToken).ConfigureAwait(false);
            Transaction.Release(name);
            return result;
        }
        catch
        {
            Transaction.Rollback(name);
            Transaction.Release(name);
            _committed.RemoveRange(actions, _committed.Count - actions);
            throw;
        }
    }

    /// <summary>The SQLite unit behind a port's unit of work; a unit of another store (or another database) is a mistake.</summary>
    internal static SqliteUnitOfWork Of(IUnitOfWork unit, SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (unit is not SqliteUnitOfWork sqlite || !ReferenceEquals(sqlite.Database, database))
        {
            throw new ArgumentException("This unit of work belongs to another database; open it with this database's transactions.", nameof(unit));
        }
        return sqlite;
    }

    internal void RunCommitted()
    {
        foreach (var action in _committed) action();
        _committed.Clear();
    }
}

/// <summary>Units of work over the SQLite file (Core's transactions port).</summary>
public sealed class SqliteTransactions(SqliteDatabase database) : ITransactions
{
    public Task<T> RunAsync<T>(Func<IUnitOfWork, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        database.RunAsync<T>((unit, ct) => work(unit, ct), cancellationToken);
}
