using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SpotMirror.Storage.Sqlite;

/// <summary>
/// The SQLite file: opens connections with foreign keys on, and runs every write through one gate
/// so there is a single writer (WAL lets readers go on meanwhile).
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly AsyncLocal<Batch?> _batch = new();
    private int _walSet;

    static SqliteDatabase()
    {
        // Dapper's conventions, set once for the process: snake_case columns map to PascalCase members.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }
    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // WAL persists in the file, so it is set once per database; synchronous and busy_timeout are per
        // connection (busy_timeout lets a second process wait for the writer instead of failing).
        if (Interlocked.Exchange(ref _walSet, 1) == 0)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        }
        await connection.ExecuteAsync("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;").ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Runs work in one IMMEDIATE transaction, alone among this process's writers; commits when it returns.
    /// Inside a batch (see BatchAsync) it joins the batch's transaction instead, under a savepoint, so a
    /// failed write takes back only its own statements.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_batch.Value is { } batch) return await InSavepointAsync(batch, work).ConfigureAwait(false);

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Runs work as one transaction that every WriteAsync made from inside it (on this async flow) joins:
    /// an adapter commits a batch of events' effects together with its checkpoint, all or nothing.
    /// Reads inside a batch still use their own connections and see only committed data.
    /// </summary>
    public async Task<T> BatchAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (_batch.Value is not null) throw new InvalidOperationException("A batch is already open on this flow; batches do not nest.");
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
            _batch.Value = new Batch(connection, transaction);
            try
            {
                var result = await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            finally
            {
                _batch.Value = null;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static async Task<T> InSavepointAsync<T>(Batch batch, Func<IDbConnection, IDbTransaction, Task<T>> work)
    {
        var name = $"w{Interlocked.Increment(ref batch.Savepoints)}";
        batch.Transaction.Save(name);
        try
        {
            var result = await work(batch.Connection, batch.Transaction).ConfigureAwait(false);
            batch.Transaction.Release(name);
            return result;
        }
        catch
        {
            batch.Transaction.Rollback(name);
            batch.Transaction.Release(name);
            throw;
        }
    }

    public async Task<T> ReadAsync<T>(Func<IDbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await work(connection).ConfigureAwait(false);
    }

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public void Dispose()
    {
        _writeGate.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
    }

    private sealed class Batch(SqliteConnection connection, SqliteTransaction transaction)
    {
        public SqliteConnection Connection { get; } = connection;
        public SqliteTransaction Transaction { get; } = transaction;
        public int Savepoints;
    }
}
