using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>Provider answers in the provider_cache table, each used until it expires; expired rows are swept as new ones arrive.</summary>
public sealed class SqlResponseCache(IDatabase database) : IResponseCache
{
    public Task<string?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT body FROM provider_cache WHERE key = @key AND expires_at > @now",
            new { key, now = now.ToUnixTimeMilliseconds() }), cancellationToken);

    public Task PutAsync(string key, string body, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var at = now.ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(
                """
                INSERT INTO provider_cache (key, body, fetched_at, expires_at) VALUES (@key, @body, @at, @expiresAt)
                ON CONFLICT (key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at
                """,
                new { key, body, at, expiresAt = expires.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
            return await connection.ExecuteAsync("DELETE FROM provider_cache WHERE expires_at <= @at", new { at }, transaction).ConfigureAwait(false);
        }, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM provider_cache"), cancellationToken);
}
