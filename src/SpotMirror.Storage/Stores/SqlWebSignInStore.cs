using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>web_sign_in_tokens and web_sessions: hashes only, single use enforced inside one write.</summary>
public sealed class SqlWebSignInStore(IDatabase database) : IWebSignInStore
{
    private sealed record TokenRow(long UserId, long ExpiresAt, long? UsedAt);

    private sealed record SessionRow(long UserId, string DisplayName, string Platform, long ExpiresAt);

    public Task IssueAsync(string tokenHash, long userId, DateTimeOffset at, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var now = at.ToUnixTimeMilliseconds();
            // Links nobody opened are kept a day past expiry (so a late click still hears "expired"), then swept.
            await connection.ExecuteAsync(
                "DELETE FROM web_sign_in_tokens WHERE expires_at < @cutoff", new { cutoff = now - (long)TimeSpan.FromDays(1).TotalMilliseconds }, transaction).ConfigureAwait(false);
            await connection.ExecuteAsync("DELETE FROM web_sessions WHERE expires_at < @now", new { now }, transaction).ConfigureAwait(false);
            return await connection.ExecuteAsync(
                "INSERT INTO web_sign_in_tokens (token_hash, user_id, created_at, expires_at) VALUES (@tokenHash, @userId, @now, @expires)",
                new { tokenHash, userId, now, expires = expiresAt.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
        }, cancellationToken);

    public Task<(SignInRedemption Outcome, long? UserId)> RedeemAsync(
        string tokenHash, string sessionHash, DateTimeOffset now, DateTimeOffset sessionExpiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync<(SignInRedemption, long?)>(async (connection, transaction) =>
        {
            var at = now.ToUnixTimeMilliseconds();
            var token = await connection.QuerySingleOrDefaultAsync<TokenRow>(
                "SELECT user_id, expires_at, used_at FROM web_sign_in_tokens WHERE token_hash = @tokenHash", new { tokenHash }, transaction).ConfigureAwait(false);
            if (token is null) return (SignInRedemption.Unknown, null);
            if (token.UsedAt is not null) return (SignInRedemption.Used, null);
            if (token.ExpiresAt <= at) return (SignInRedemption.Expired, null);
            await connection.ExecuteAsync(
                "UPDATE web_sign_in_tokens SET used_at = @at WHERE token_hash = @tokenHash", new { at, tokenHash }, transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO web_sessions (session_hash, user_id, created_at, expires_at) VALUES (@sessionHash, @UserId, @at, @expires)",
                new { sessionHash, token.UserId, at, expires = sessionExpiresAt.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
            return (SignInRedemption.SignedIn, token.UserId);
        }, cancellationToken);

    public Task<WebSession?> FindSessionAsync(string sessionHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(
                """
                SELECT s.user_id, u.display_name, u.platform, s.expires_at
                FROM web_sessions s JOIN users u ON u.id = s.user_id
                WHERE s.session_hash = @sessionHash AND s.expires_at > @now
                """, new { sessionHash, now = now.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
            return row is null ? null : new WebSession(row.UserId, row.DisplayName, row.Platform, DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt));
        }, cancellationToken);

    public Task EndSessionAsync(string sessionHash, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "DELETE FROM web_sessions WHERE session_hash = @sessionHash", new { sessionHash }, transaction), cancellationToken);
}
