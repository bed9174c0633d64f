using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>Checkpoints, committed in one unit of work with the effects they cover; optionally fenced by a lease.</summary>
public sealed class SqlCheckpointStore(IDatabase database, TimeProvider clock) : ICheckpointStore
{
    public Task<string?> ReadAsync(string connection, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(
            "SELECT position FROM checkpoints WHERE connection = @connection", new { connection }), cancellationToken);

    public Task<T> CommitAsync<T>(string connection, Func<IUnitOfWork, CancellationToken, Task<(T Result, string Position)>> work, CancellationToken cancellationToken) =>
        CommitFencedAsync(connection, null, work, cancellationToken);

    public Task<T> CommitAsync<T>(string connection, LeaseFence fence, Func<IUnitOfWork, CancellationToken, Task<(T Result, string Position)>> work, CancellationToken cancellationToken) =>
        CommitFencedAsync(connection, fence, work, cancellationToken);

    private Task<T> CommitFencedAsync<T>(string connection, LeaseFence? fence, Func<IUnitOfWork, CancellationToken, Task<(T Result, string Position)>> work, CancellationToken cancellationToken) =>
        database.RunAsync(async (unit, ct) =>
        {
            var (result, position) = await work(unit, ct).ConfigureAwait(false);
            await database.WriteAsync(unit, async (c, transaction) =>
            {
                // Checked last, just before the commit. Every write on either provider holds the one writer lock
                // until it commits, and taking a lease over is a write, so no takeover can land between this check
                // and this commit: a batch that passes it commits while its lease holds, or not at all.
                if (fence is not null) await EnsureHeldAsync(c, transaction, fence).ConfigureAwait(false);
                return await c.ExecuteAsync(
                    """
                    INSERT INTO checkpoints (connection, position, updated_at) VALUES (@connection, @position, @at)
                    ON CONFLICT (connection) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
                    """,
                    new { connection, position, at = clock.GetUtcNow().ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    private async Task EnsureHeldAsync(System.Data.IDbConnection c, System.Data.IDbTransaction transaction, LeaseFence fence)
    {
        var now = await database.ClockAsync(c, transaction).ConfigureAwait(false);
        var held = await c.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM leases
            WHERE name = @Name AND holder = @Holder AND generation = @Generation AND expires_at >= @now
            """,
            new { fence.Name, fence.Holder, fence.Generation, now }, transaction).ConfigureAwait(false);
        if (held == 0)
        {
            throw new LeaseLostException($"the lease {fence.Name} ran out or passed to another worker before this batch could commit; nothing of it was kept");
        }
    }
}
