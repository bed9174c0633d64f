using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Service;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Worker.Hosting;

/// <summary>
/// /health/ready's storage check: the file opens read-write, a write transaction (BEGIN IMMEDIATE, so the
/// write lock is really taken) commits, and the disk has room. A transaction that writes nothing commits
/// on a full disk too, so the room is asked of the file system: below 1 MB the next feedback's write to
/// the WAL is about to fail, and traffic is better sent elsewhere.
/// </summary>
public sealed class StorageReadiness(SqliteDatabase database) : IReadinessCheck
{
    private const long MinimumFreeBytes = 1024 * 1024;

    public string Name => "storage";

    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            var free = new DriveInfo(Path.GetDirectoryName(database.Path)!).AvailableFreeSpace;
            if (free < MinimumFreeBytes) return $"the disk holding {database.Path} is full ({free / 1024} KB free); free some space";
            await database.WriteAsync((connection, transaction) => connection.ExecuteScalarAsync<long>(
                new CommandDefinition("SELECT 1", transaction: transaction, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception exception) when (exception is SqliteException or StoreFaultException or StorageUnavailableException or IOException or UnauthorizedAccessException)
        {
            return exception.Message.ReplaceLineEndings(" ");
        }
    }
}

/// <summary>Times every batch commit (a bot's events with their checkpoint) for /metrics, whichever store commits it.</summary>
public sealed class TimedCheckpoints(ICheckpointStore inner) : ICheckpointStore
{
    public Task<string?> ReadAsync(string connection, CancellationToken cancellationToken) => inner.ReadAsync(connection, cancellationToken);

    public async Task<T> CommitAsync<T>(string connection, Func<IUnitOfWork, CancellationToken, Task<(T Result, string Position)>> work, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await inner.CommitAsync(connection, work, cancellationToken).ConfigureAwait(false);
        Telemetry.BatchCommitted(connection, Stopwatch.GetElapsedTime(started));
        return result;
    }
}
