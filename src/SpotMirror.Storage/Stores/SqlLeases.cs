using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>Leases in the leases table (migration 0009), timed by the database's clock.</summary>
public sealed class SqlLeases(IDatabase database) : ILeases
{
    private sealed record LeaseRow(string Holder, long ExpiresAt);

    public Task<Lease> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var now = await database.ClockAsync(connection, transaction).ConfigureAwait(false);
            // Taken over only when it ran out (strictly before now) or is already this holder's: a live lease of
            // another holder is left alone, and the row says who holds it either way.
            await connection.ExecuteAsync(
                """
                INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at < @now
                """,
                new { name, holder, expires = now + (long)duration.TotalMilliseconds, now }, transaction).ConfigureAwait(false);
            var row = await connection.QuerySingleAsync<LeaseRow>(
                "SELECT holder, expires_at FROM leases WHERE name = @name", new { name }, transaction).ConfigureAwait(false);
            return new Lease(name, row.Holder, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt));
        }, cancellationToken);

    public Task<bool> RenewAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var now = await database.ClockAsync(connection, transaction).ConfigureAwait(false);
            return await connection.ExecuteAsync(
                "UPDATE leases SET expires_at = @expires WHERE name = @name AND holder = @holder AND expires_at >= @now",
                new { name, holder, expires = now + (long)duration.TotalMilliseconds, now }, transaction).ConfigureAwait(false) > 0;
        }, cancellationToken);

    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder }, transaction), cancellationToken);
}
