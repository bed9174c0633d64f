using System.Data;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>
/// A database the stores can run on through portable SQL and Dapper, with units of work over one transaction.
/// PostgreSQL (a server several workers share) implements it; the SQLite stores still use SqliteDatabase directly.
/// </summary>
public interface IDatabase : IDisposable
{
    /// <summary>Where the data is, fit for a log line or an error: a path, or host:port/database (never a password).</summary>
    string Describe { get; }

    Task<T> ReadAsync<T>(Func<IDbConnection, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a unit of work (one transaction as the only writer: of this process on SQLite, of every worker
    /// on PostgreSQL), runs work in it, commits, and then runs the actions it registered to follow the commit.
    /// Reads made meanwhile use their own connections and see only committed data. Units do not nest.
    /// </summary>
    Task<T> RunAsync<T>(Func<IUnitOfWork, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

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

    /// <summary>Null when the database answers and takes writes, else what is wrong (for /health/ready).</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>The stores' clock for stored times: Unix milliseconds, UTC.</summary>
    static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
