using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage.Sqlite;

/// <summary>
/// The SQLite file: opens connections with foreign keys on, and runs every write through one gate
/// so there is a single writer (WAL lets readers go on meanwhile).
/// </summary>
public sealed class SqliteDatabase : IDatabase
{
    private readonly GroupCommit _commits;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteFull = 13;
    private const int BusyTimeoutSeconds = 10; // busy_timeout below, in seconds: well inside an HTTP client's patience
    private const long MinimumFreeBytes = 1024 * 1024; // /health/ready turns 503 below this much free disk
    // The writer's page cache in KiB: 64 MB, one connection, within the memory budget. The writer does not checkpoint
    // in its commits: the WAL is copied into the file by WalCheckpointer beside it, and by the writer only when the WAL
    // reaches WalLimits.Limit pages (see AfterCommit). Its savepoints keep the pages they may take back in memory
    // (temp_store): a unit of 100 feedback events keeps about 2 MB, which SQLite otherwise spilled to a temporary file
    // past 64 KB, one write per page.
    private const string WriterPragmas = "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY;";
    private int _walSet;
    private readonly ILogger? _logger;
    private readonly WalLimits _walLimits;
    private WalCheckpointer? _checkpointer;
    // Pages the writer appended to the WAL since it last saw it copied whole (the WAL then starts over). Leader only.
    private long _walPages;

    // The writer's connection, kept between transactions so the statements compiled on it (Statements) and its
    // page cache outlive a commit. Only group commit's leader touches it, one transaction at a time.
    private SqliteConnection? _writer;
    private bool _disposed;

    static SqliteDatabase()
    {
        // Dapper's conventions, set once for the process: snake_case columns map to PascalCase members.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <param name="groupCommit">False commits every unit of work in a transaction of its own (a baseline for benchmarks).</param>
    /// <param name="logger">Where the background checkpoint says it failed (<see cref="WalCheckpointer"/>).</param>
    /// <param name="wal">When the WAL is copied into the file; the defaults unless a test needs small ones.</param>
    public SqliteDatabase(string path, bool groupCommit = true, ILogger? logger = null, WalLimits? wal = null)
    {
        _logger = logger;
        _walLimits = wal ?? new WalLimits();
        _commits = new GroupCommit(this, BeginAsync, (exception, _, _) => Translate(exception), groupCommit ? GroupCommit.DefaultMaxUnits : 1, ReleaseAsync);
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

    public string Describe => Path;

    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => new Migrator(this).MigrateAsync(cancellationToken);

    public Task<IReadOnlyList<int>> AppliedAsync(CancellationToken cancellationToken) => new Migrator(this).AppliedAsync(cancellationToken);

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // SQLite falls back to read-only without a word when the file is not writable; say so before the first write fails.
        if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new StorageUnavailableException(
                $"The database {Path} is read-only for this user, so nothing could be saved. Make the file (and its folder) writable, or set Storage:Path (or --db) to a writable file.");
        }
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
    /// Fails at once, with one sentence, when SQLite can only open the file read-only (the file or its folder
    /// is not writable by this user, or the file system is read-only): a process must not answer "ready" and
    /// then discover it one refused write at a time.
    /// </summary>
    public async Task EnsureWritableAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<T> WriteAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        SqlUnitOfWork.WriteAloneAsync(this, work, cancellationToken);

    public Task<T> WriteAsync<T>(IUnitOfWork unit, Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        SqlUnitOfWork.WriteInAsync(this, unit, work, cancellationToken);

    /// <summary>
    /// Units of work are grouped (<see cref="GroupCommit"/>): a transaction takes every unit that arrived while the last
    /// one ran, alone among this process's writers (the file's lock keeps other processes out).
    /// </summary>
    public Task<T> RunAsync<T>(Func<IUnitOfWork, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _commits.RunAsync(work, cancellationToken);

    public CommitCounts Commits => _commits.Counts;

    /// <summary>Checkpoints run beside the writer so far (<see cref="WalCheckpointer"/>).</summary>
    public long BackgroundCheckpoints => _checkpointer?.Runs ?? 0;

    /// <summary>
    /// One IMMEDIATE transaction (the write lock is taken at BEGIN, not at the first write) on the writer's kept
    /// connection, or on a newly opened one (with its read-only check) when none is kept.
    /// </summary>
    private async Task<(DbConnection, DbTransaction)> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = Interlocked.Exchange(ref _writer, null) ?? await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (connection, await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The writer's connection with a page cache of its own large enough for the index pages feedback walks at a million
    /// tracks (users, preferences, the log): kept across commits, so they are read from the file once, not per event.
    /// </summary>
    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(WriterPragmas).ConfigureAwait(false);
            _checkpointer ??= new WalCheckpointer(this, _walLimits, _logger);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Keeps the connection of a committed transaction for the next one; any other is closed, so a connection left in
    /// a bad state by a failed statement, commit or disk is never used again: the next transaction opens afresh.
    /// </summary>
    private async ValueTask ReleaseAsync(DbConnection connection, bool committed)
    {
        if (committed && !Volatile.Read(ref _disposed))
        {
            AfterCommit((SqliteConnection)connection);
            Volatile.Write(ref _writer, (SqliteConnection)connection);
            return;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Tells the checkpointer how many pages the commit appended to the WAL. Once the WAL holds
    /// <see cref="WalLimits.Limit"/> pages the writer copies what is left itself, between two of its transactions, so
    /// that the next one starts the WAL over; it tries again after every commit while another checkpoint is running or a
    /// reader still needs old pages, as SQLite's autocheckpoint would.
    /// </summary>
    private void AfterCommit(SqliteConnection writer)
    {
        SQLitePCL.raw.sqlite3_db_status(writer.Handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_WRITE, out var appended, out _, 1);
        _checkpointer?.Committed(appended);
        _walPages += appended;
        if (_walPages < _walLimits.Limit) return;
        try
        {
            var (frames, copied) = WalCheckpointer.Checkpoint(writer);
            if (frames >= 0 && copied == frames) _walPages = 0;
        }
        catch (SqliteException)
        {
            // The pages stay in the WAL; the background checkpoint or the next commit tries again.
        }
    }

    /// <summary>A busy or full database as a <see cref="StoreFaultException"/>; anything else as it is.</summary>
    private Exception Translate(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked or SqliteFull } sqlite ? Fault(sqlite) : exception;

    /// <summary>One file, one machine: SQLite's clock is this machine's.</summary>
    public Task<long> ClockAsync(IDbConnection connection, IDbTransaction? transaction) =>
        connection.ExecuteScalarAsync<long>("SELECT CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)", transaction: transaction);

    /// <summary>SQLite has no notifications: the follower simply polls.</summary>
    public Task WaitForChangesAsync(TimeSpan max, CancellationToken cancellationToken) => Task.Delay(max, cancellationToken);

    /// <summary>Null when the file opens and takes the write lock (BEGIN IMMEDIATE), else what went wrong.</summary>
    /// <summary>
    /// A write transaction (BEGIN IMMEDIATE, so the write lock is really taken) commits, and the disk has room: a
    /// transaction that writes nothing commits on a full disk too, so the room is asked of the file system; below
    /// 1 MB the next feedback's write to the WAL is about to fail, and traffic is better sent elsewhere.
    /// </summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var free = new DriveInfo(System.IO.Path.GetDirectoryName(Path)!).AvailableFreeSpace;
            if (free < MinimumFreeBytes) return $"the disk holding {Path} is full ({free / 1024} KB free); free some space";
            await WriteAsync((connection, transaction) => connection.ExecuteScalarAsync<long>("SELECT 1", transaction: transaction), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception exception) when (exception is SqliteException or StorageUnavailableException or StoreFaultException or IOException or UnauthorizedAccessException)
        {
            return $"{Path}: {exception.Message.ReplaceLineEndings(" ")}";
        }
    }

    /// <summary>
    /// A busy or full database as what it is, a passing condition with one sentence. SQLite cannot say which
    /// process holds the lock, so the sentence says where to look instead.
    /// </summary>
    private StoreFaultException Fault(SqliteException exception) => exception.SqliteErrorCode == SqliteFull
        ? new StoreFaultException(StoreFault.Full,
            $"The disk holding the database {Path} is full (or the file reached its size limit), so nothing more could be saved. Free some space; nothing already saved was lost.", exception)
        : new StoreFaultException(StoreFault.Busy,
            $"The database {Path} stayed locked by another process for longer than {BusyTimeoutSeconds} s. SQLite does not say which process; look for another SpotMirror (or sqlite3) using this file, e.g. with: fuser {Path}", exception);

    public async Task<T> ReadAsync<T>(Func<IDbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await work(connection).ConfigureAwait(false);
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _checkpointer?.Dispose();
        Interlocked.Exchange(ref _writer, null)?.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
    }
}
