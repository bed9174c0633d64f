using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>Checkpoints in SQLite, committed in one unit of work with the effects they cover.</summary>
public sealed class SqlCheckpointStore(IDatabase database, TimeProvider clock) : ICheckpointStore
{
    public Task<string?> ReadAsync(string connection, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(
            "SELECT position FROM checkpoints WHERE connection = @connection", new { connection }), cancellationToken);

    public Task<T> CommitAsync<T>(string connection, Func<IUnitOfWork, CancellationToken, Task<(T Result, string Position)>> work, CancellationToken cancellationToken) =>
        database.RunAsync(async (unit, ct) =>
        {
            var (result, position) = await work(unit, ct).ConfigureAwait(false);
            await database.WriteAsync(unit, (c, transaction) => c.ExecuteAsync(
                """
                INSERT INTO checkpoints (connection, position, updated_at) VALUES (@connection, @position, @at)
                ON CONFLICT (connection) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
                """,
                new { connection, position, at = clock.GetUtcNow().ToUnixTimeMilliseconds() }, transaction), ct).ConfigureAwait(false);
            return result;
        }, cancellationToken);
}
