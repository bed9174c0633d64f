using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>
/// authorization_requests and provider_tokens. It stores what it is given: the caller protects the verifier and
/// the tokens first. Portable SQL (ON CONFLICT, no SQLite-only syntax) with Dapper parameters throughout.
/// </summary>
public sealed class SqlAuthorizationStore(IDatabase database) : IAuthorizationStore
{
    private sealed record PendingRow(long UserId, string Provider, string Verifier, long ExpiresAt);

    private sealed record TokenRow(string Account, string AccessToken, string? RefreshToken, long ExpiresAt, string? Scope);

    public Task BeginAsync(string stateHash, PendingAuthorization pending, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return database.WriteAsync(async (connection, transaction) =>
        {
            var now = at.ToUnixTimeMilliseconds();
            // Requests nobody completed are swept as new ones begin.
            await connection.ExecuteAsync("DELETE FROM authorization_requests WHERE expires_at < @now", new { now }, transaction).ConfigureAwait(false);
            return await connection.ExecuteAsync(
                """
                INSERT INTO authorization_requests (state_hash, user_id, provider, verifier, created_at, expires_at)
                VALUES (@stateHash, @UserId, @Provider, @ProtectedVerifier, @now, @expires)
                """,
                new { stateHash, pending.UserId, pending.Provider, pending.ProtectedVerifier, now, expires = pending.ExpiresAt.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<PendingAuthorization?> TakeAsync(string stateHash, CancellationToken cancellationToken) =>
        database.WriteAsync<PendingAuthorization?>(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<PendingRow>(
                "SELECT user_id, provider, verifier, expires_at FROM authorization_requests WHERE state_hash = @stateHash",
                new { stateHash }, transaction).ConfigureAwait(false);
            if (row is null) return null;
            await connection.ExecuteAsync("DELETE FROM authorization_requests WHERE state_hash = @stateHash", new { stateHash }, transaction).ConfigureAwait(false);
            return new PendingAuthorization(row.UserId, row.Provider, row.Verifier, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt));
        }, cancellationToken);

    public Task SaveTokensAsync(long userId, string provider, StoredTokens tokens, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            """
            INSERT INTO provider_tokens (user_id, provider, account, access_token, refresh_token, expires_at, scope, updated_at)
            VALUES (@userId, @provider, @Account, @AccessToken, @RefreshToken, @expires, @Scope, @now)
            ON CONFLICT (user_id, provider) DO UPDATE SET account = excluded.account, access_token = excluded.access_token,
                refresh_token = COALESCE(excluded.refresh_token, provider_tokens.refresh_token), expires_at = excluded.expires_at,
                scope = COALESCE(excluded.scope, provider_tokens.scope), updated_at = excluded.updated_at
            """,
            new { userId, provider, tokens.Account, tokens.AccessToken, tokens.RefreshToken, expires = tokens.ExpiresAt.ToUnixTimeMilliseconds(), tokens.Scope, now = at.ToUnixTimeMilliseconds() },
            transaction), cancellationToken);
    }

    public Task<StoredTokens?> TokensAsync(long userId, string provider, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(
                "SELECT account, access_token, refresh_token, expires_at, scope FROM provider_tokens WHERE user_id = @userId AND provider = @provider",
                new { userId, provider }).ConfigureAwait(false);
            return row is null ? null : new StoredTokens(row.Account, row.AccessToken, row.RefreshToken, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt), row.Scope);
        }, cancellationToken);

    public Task DeleteTokensAsync(IUnitOfWork unit, long userId, string? provider, CancellationToken cancellationToken) =>
        // Two fixed statements rather than "@provider IS NULL OR …": PostgreSQL cannot type a bare null parameter.
        database.WriteAsync(unit, (connection, transaction) => provider is null
            ? connection.ExecuteAsync("DELETE FROM provider_tokens WHERE user_id = @userId", new { userId }, transaction)
            : connection.ExecuteAsync("DELETE FROM provider_tokens WHERE user_id = @userId AND provider = @provider", new { userId, provider }, transaction),
            cancellationToken);
}
