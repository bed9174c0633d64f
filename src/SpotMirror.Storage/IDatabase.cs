using System.Data;
using Microsoft.Extensions.Logging;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>
/// The database under every store: SQLite (a file, the default) or PostgreSQL (a server several workers
/// share). The stores write portable SQL through Dapper; only this, the migrations and <see cref="Open"/> differ by provider.
/// </summary>
public interface IDatabase : IDisposable
{
    /// <summary>Where the data is, fit for a log line or an error: a path, or host:port/database (never a password).</summary>
    string Describe { get; }

    Task<T> ReadAsync<T>(Func<IDbConnection, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a unit of work (one transaction as the only writer: of this process on SQLite, of every worker
    /// on PostgreSQL), runs work in it, commits, and then runs the actions it registered to follow the commit.
    /// Units from concurrent callers may share one transaction (group commit), each under a savepoint of its own:
    /// a unit that throws takes back only its own writes. Reads made meanwhile use their own connections and see
    /// only committed data. Units do not nest.
    /// </summary>
    Task<T> RunAsync<T>(Func<IUnitOfWork, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Units of work run and transactions committed so far, and units waiting for the next transaction.</summary>
    CommitCounts Commits { get; }

    /// <summary>Runs work in a unit of work of its own; commits when it returns.</summary>
    Task<T> WriteAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs work inside the given unit of work, under a savepoint of its own, so a failed write takes back
    /// only its own statements; the unit's owner commits.
    /// </summary>
    Task<T> WriteAsync<T>(IUnitOfWork unit, Func<IDbConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Applies the provider's migrations that are missing; returns the versions applied now.</summary>
    Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Every schema version applied so far, in order.</summary>
    Task<IReadOnlyList<int>> AppliedAsync(CancellationToken cancellationToken);

    /// <summary>Returns when another process may have committed a change (PostgreSQL's NOTIFY), or after max at the latest.</summary>
    Task WaitForChangesAsync(TimeSpan max, CancellationToken cancellationToken);

    /// <summary>
    /// Fails at once, with one sentence (<see cref="Sqlite.StorageUnavailableException"/>), when the database cannot be
    /// opened for writing: a read-only file, an unreachable server, a refused password.
    /// </summary>
    Task EnsureWritableAsync(CancellationToken cancellationToken);

    /// <summary>Null when the database answers and takes writes, else what is wrong (for /health/ready).</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The database's own clock, Unix milliseconds: one clock for every worker, where times must be compared
    /// across processes (leases). Read on the given connection, inside its transaction when there is one.
    /// </summary>
    Task<long> ClockAsync(IDbConnection connection, IDbTransaction? transaction);

    /// <summary>The stores' clock for stored times: Unix milliseconds, UTC.</summary>
    static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>
    /// The one place that picks a provider (Storage:Provider): "sqlite", the default, is the file at path;
    /// "postgres" is the server connectionString names. Anything else is refused with a sentence. groupCommit
    /// false gives every unit of work a transaction of its own (Storage:GroupCommit, a baseline for measuring).
    /// </summary>
    static IDatabase Open(string? provider, string path, string? connectionString, ILoggerFactory? loggers = null, bool groupCommit = true)
    {
        var name = string.IsNullOrWhiteSpace(provider) ? SqliteProvider : provider.Trim();
        if (string.Equals(name, SqliteProvider, StringComparison.OrdinalIgnoreCase)) return new Sqlite.SqliteDatabase(path, groupCommit, loggers?.CreateLogger<Sqlite.SqliteDatabase>());
        if (!string.Equals(name, PostgresProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new Sqlite.StorageUnavailableException($"Storage:Provider is '{name}'; it must be '{SqliteProvider}' (a file, the default) or '{PostgresProvider}' (a server named by Storage:ConnectionString).");
        }
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new Sqlite.StorageUnavailableException("Storage:Provider is postgres but Storage:ConnectionString (Storage__ConnectionString in the environment) is empty: set it to e.g. Host=db;Database=spotmirror;Username=spotmirror;Password=...");
        }
        return new Postgres.PostgresDatabase(connectionString, loggers?.CreateLogger<Postgres.PostgresDatabase>(), groupCommit);
    }

    const string SqliteProvider = "sqlite";
    const string PostgresProvider = "postgres";
}
