using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SpotMirror.Core.Ports;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Storage.Postgres;

/// <summary>
/// A PostgreSQL database shared by several workers. Writes take one transaction-scoped advisory lock, so
/// there is one writer at a time across every worker, as with SQLite: the stores' read-then-write steps
/// (a reaction's undo, a preference's decay) stay correct without per-row locking or retry loops, and no
/// two batches can deadlock. Reads never wait for it.
/// </summary>
public sealed class PostgresDatabase : IDatabase
{
    /// <summary>The advisory lock key of the cluster-wide writer ("SpotMirW" as an integer).</summary>
    internal const long WriterLockKey = 0x53706f744d697257;

    private readonly NpgsqlDataSource _source;
    private readonly SemaphoreSlim _listenGate = new(1, 1);
    private readonly ConnectionWatch _watch;
    private readonly GroupCommit _commits;
    private NpgsqlConnection? _listener;

    static PostgresDatabase()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <param name="groupCommit">False commits every unit of work in a transaction of its own (a baseline for benchmarks).</param>
    public PostgresDatabase(string connectionString, ILogger? logger = null, bool groupCommit = true)
    {
        _commits = new GroupCommit(this, BeginAsync, Translate, groupCommit ? GroupCommit.DefaultMaxUnits : 1, static (connection, _) => connection.DisposeAsync());
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new StorageUnavailableException($"Storage:ConnectionString is not a valid PostgreSQL connection string: {exception.Message}", exception);
        }
        Describe = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
        _watch = new ConnectionWatch(Describe, logger ?? NullLogger.Instance);
    }

    /// <summary>Host, port and database, never the password: fit for a log line or an error.</summary>
    public string Describe { get; }

    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => new PostgresMigrator(this).MigrateAsync(cancellationToken);

    public Task<IReadOnlyList<int>> AppliedAsync(CancellationToken cancellationToken) => new PostgresMigrator(this).AppliedAsync(cancellationToken);

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Explain(exception) is { } reason)
        {
            throw new StorageUnavailableException($"{Describe}: {reason}", exception);
        }
    }

    public async Task EnsureWritableAsync(CancellationToken cancellationToken)
    {
        if (await ProbeAsync(cancellationToken).ConfigureAwait(false) is { } problem) throw new StorageUnavailableException(problem);
    }

    /// <summary>A read on a connection found lost is simply made again on a new one.</summary>
    public async Task<T> ReadAsync<T>(Func<IDbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 0; ; attempt++)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                var result = await work(connection).ConfigureAwait(false);
                _watch.Working();
                return result;
            }
            catch (Exception exception) when (ConnectionWatch.IsLoss(exception, connection) && !cancellationToken.IsCancellationRequested)
            {
                await PauseOrThrowAsync(exception, connection, attempt, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>After a lost connection: the pool emptied of connections the server has closed, then a pause, or the loss as a store fault.</summary>
    private async Task PauseOrThrowAsync(Exception exception, NpgsqlConnection? connection, int attempt, CancellationToken cancellationToken)
    {
        _source.Clear();
        var pause = _watch.NextPause(exception, connection, attempt);
        if (pause is null)
        {
            // Before this process ever reached the server, a failure is start-up's to report, as it is.
            if (!_watch.EverConnected || exception is StorageUnavailableException) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
            throw new StoreFaultException(StoreFault.Unreachable, $"{Describe}: the connection was lost and could not be made again ({ConnectionWatch.Reason(exception)}).", exception);
        }
        await Task.Delay(pause.Value, cancellationToken).ConfigureAwait(false);
    }

    public Task<T> WriteAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        SqlUnitOfWork.WriteAloneAsync(this, work, cancellationToken);

    public Task<T> WriteAsync<T>(IUnitOfWork unit, Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        SqlUnitOfWork.WriteInAsync(this, unit, work, cancellationToken);

    /// <summary>
    /// Units of work are grouped (<see cref="GroupCommit"/>): a transaction takes every unit of this process that arrived
    /// while the last one ran, and holds the cluster-wide writer lock until it commits or rolls back. The lock ends
    /// with the transaction, before the after-commit actions run; the group commit runs them before its next
    /// transaction begins, so this process's memory changes follow its commits in commit order. A connection found
    /// lost before the work starts is replaced (nothing was done on it); one lost during the work or its commit fails
    /// the units as <see cref="StoreFault.Unreachable"/>, since the server has rolled them back (or, during the
    /// commit, may not have).
    /// </summary>
    public Task<T> RunAsync<T>(Func<IUnitOfWork, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _commits.RunAsync(work, cancellationToken);

    public CommitCounts Commits => _commits.Counts;

    /// <summary>What a failure in a transaction means to its units: a lost connection becomes one clear store fault.</summary>
    private Exception Translate(Exception exception, DbConnection? connection, bool committing) =>
        ConnectionWatch.IsLoss(exception, connection as NpgsqlConnection)
            ? Lost(exception, committing ? "while a write was committing; it may or may not have been kept" : "in the middle of a write; nothing of it was kept")
            : exception;

    /// <summary>A connection with the writer's transaction begun; a pooled connection the server had closed is replaced.</summary>
    private async Task<(DbConnection, DbTransaction)> BeginAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                var transaction = await BeginWriterAsync(connection, cancellationToken).ConfigureAwait(false);
                _watch.Working();
                return (connection, transaction);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var lost = ConnectionWatch.IsLoss(exception, connection);
                if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
                if (!lost) throw;
                await PauseOrThrowAsync(exception, connection, attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private StoreFaultException Lost(Exception exception, string when)
    {
        _watch.Lost(exception);
        _source.Clear();
        return new StoreFaultException(StoreFault.Unreachable, $"{Describe}: the connection was lost {when} ({ConnectionWatch.Reason(exception)}).", exception);
    }

    private static async Task<NpgsqlTransaction> BeginWriterAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = WriterLockKey }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return transaction;
    }

    /// <summary>The server's clock (clock_timestamp, not the transaction's start), the same for every worker.</summary>
    public Task<long> ClockAsync(IDbConnection connection, IDbTransaction? transaction) =>
        connection.ExecuteScalarAsync<long>("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)", transaction: transaction);

    /// <summary>
    /// Waits on a connection that LISTENs for the change feed's NOTIFY. A broken listener is dropped (the next
    /// wait opens another) and the wait becomes a plain delay, so the follower's polling carries on meanwhile.
    /// </summary>
    public async Task WaitForChangesAsync(TimeSpan max, CancellationToken cancellationToken)
    {
        await _listenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_listener is null)
            {
                var listener = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await listener.ExecuteAsync(new CommandDefinition(ChangeLog.Listen, cancellationToken: cancellationToken)).ConfigureAwait(false);
                _listener = listener;
            }
            await _listener.WaitAsync(max, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or StorageUnavailableException or IOException or InvalidOperationException)
        {
            if (_listener is not null) await _listener.DisposeAsync().ConfigureAwait(false);
            _listener = null;
            await Task.Delay(max, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _listenGate.Release();
        }
    }

    /// <summary>Null when the server answers and takes writes (not a read-only standby), else what went wrong.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var writable = await ReadAsync(c => c.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'", cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
            return writable ? null : $"{Describe}: the server is read-only (a standby, or default_transaction_read_only is on).";
        }
        catch (StorageUnavailableException exception)
        {
            return exception.Message;
        }
        catch (StoreFaultException exception)
        {
            return exception.Message;
        }
        catch (NpgsqlException exception)
        {
            return $"{Describe}: {exception.Message}";
        }
    }

    /// <summary>A sentence for the failures a person fixes in the configuration or the network; null for the rest.</summary>
    internal static string? Explain(Exception exception) => exception switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => "the server refused the user name or password (check Storage:ConnectionString).",
        PostgresException { SqlState: "3D000" } => "no such database on the server (create it, or fix Database= in Storage:ConnectionString).",
        PostgresException { SqlState: "57P03" } => "the server is starting up or shutting down; try again shortly.",
        NpgsqlException { InnerException: SocketException socket } => $"the server could not be reached ({socket.SocketErrorCode}); is it running, and are Host and Port right?",
        NpgsqlException { InnerException: TimeoutException } => "the server did not answer in time; is it reachable from here?",
        _ => null,
    };

    public void Dispose()
    {
        _listener?.Dispose();
        _listenGate.Dispose();
        _source.Dispose();
    }
}
