using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>Leases in the leases table (migration 0009), timed by the database's clock.</summary>
public sealed class SqlLeases(IDatabase database) : ILeases
{
    private sealed record LeaseRow(string Holder, long ExpiresAt, long Generation);

    public Task<Lease> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var now = await database.ClockAsync(connection, transaction).ConfigureAwait(false);
            // Taken over only when it ran out (strictly before now) or is already this holder's: a live lease of
            // another holder is left alone, and the row says who holds it either way. Only a live lease taken again
            // by its own holder keeps its generation; every other taking starts a new spell with a new fencing token.
            await connection.ExecuteAsync(
                """
                INSERT INTO leases (name, holder, expires_at, generation) VALUES (@name, @holder, @expires, 1)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                    generation = CASE WHEN leases.holder = excluded.holder AND leases.expires_at >= @now
                                      THEN leases.generation ELSE leases.generation + 1 END
                WHERE leases.holder = excluded.holder OR leases.expires_at < @now
                """,
                new { name, holder, expires = now + (long)duration.TotalMilliseconds, now }, transaction).ConfigureAwait(false);
            var row = await connection.QuerySingleAsync<LeaseRow>(
                "SELECT holder, expires_at, generation FROM leases WHERE name = @name", new { name }, transaction).ConfigureAwait(false);
            return new Lease(name, row.Holder, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt), row.Generation);
        }, cancellationToken);

    public Task<bool> RenewAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var now = await database.ClockAsync(connection, transaction).ConfigureAwait(false);
            return await connection.ExecuteAsync(
                "UPDATE leases SET expires_at = @expires WHERE name = @name AND holder = @holder AND expires_at >= @now",
                new { name, holder, expires = now + (long)duration.TotalMilliseconds, now }, transaction).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <summary>Leaves the row standing expired rather than deleting it, so the next taking raises its generation.</summary>
    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE leases SET expires_at = 0 WHERE name = @name AND holder = @holder", new { name, holder }, transaction), cancellationToken);
}
