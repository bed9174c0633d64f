using System.Diagnostics;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Service;
using SpotMirror.Storage;

namespace SpotMirror.Runtime;

/// <summary>/health/ready's storage check: the database answers and takes a write, and has room for the next (Storage's probe).</summary>
public sealed class StorageReadiness(IDatabase database) : IReadinessCheck
{
    public string Name => "storage";

    public Task<string?> ProblemAsync(CancellationToken cancellationToken) => database.ProbeAsync(cancellationToken);
}

/// <summary>Times every batch commit (a bot's events with their checkpoint) for /metrics, whichever store commits it.</summary>
public sealed class TimedCheckpoints(ICheckpointStore inner) : ICheckpointStore
{
    public Task<string?> ReadAsync(string connection, CancellationToken cancellationToken) => inner.ReadAsync(connection, cancellationToken);

    public Task<T> CommitAsync<T>(string connection, Func<IUnitOfWork, CancellationToken, Task<(T Result, string Position)>> work, CancellationToken cancellationToken) =>
        TimedAsync(connection, () => inner.CommitAsync(connection, work, cancellationToken));

    public Task<T> CommitAsync<T>(string connection, LeaseFence fence, Func<IUnitOfWork, CancellationToken, Task<(T Result, string Position)>> work, CancellationToken cancellationToken) =>
        TimedAsync(connection, () => inner.CommitAsync(connection, fence, work, cancellationToken));

    private static async Task<T> TimedAsync<T>(string connection, Func<Task<T>> commit)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await commit().ConfigureAwait(false);
        Telemetry.BatchCommitted(connection, Stopwatch.GetElapsedTime(started));
        return result;
    }
}
