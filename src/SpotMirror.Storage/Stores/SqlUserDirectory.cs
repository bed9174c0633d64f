using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

public sealed class SqlUserDirectory(IDatabase database) : IUserDirectory
{
    /// <summary>Resolves in a transaction of its own (start-up work, tools, tests).</summary>
    public Task<long> ResolveAsync(ChatUser user, CancellationToken cancellationToken) =>
        database.RunAsync((unit, ct) => ResolveAsync(unit, user, ct), cancellationToken);

    public Task<long> ResolveAsync(IUnitOfWork unit, ChatUser user, CancellationToken cancellationToken) =>
        SqlUnitOfWork.WriteStatementInAsync(database, unit, (connection, transaction) => Statements.ScalarAsync<long>(connection, transaction,
            """
            INSERT INTO users (platform, platform_user_id, display_name, created_at, seen_at)
            VALUES (@Platform, @PlatformUserId, CASE WHEN @DisplayName = '' THEN 'someone' ELSE @DisplayName END, @now, @now)
            ON CONFLICT (platform, platform_user_id) DO UPDATE SET
                -- An event that carries no name (a Discord reaction removal) keeps the name we know.
                display_name = CASE WHEN @DisplayName = '' THEN users.display_name ELSE excluded.display_name END,
                seen_at = excluded.seen_at
            RETURNING id
            """,
            ("@Platform", user.Platform), ("@PlatformUserId", user.PlatformUserId), ("@DisplayName", user.DisplayName), ("@now", IDatabase.Now())), cancellationToken);

    public Task<long?> FindAsync(string platform, string platformUserId, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT id FROM users WHERE platform = @platform AND platform_user_id = @platformUserId",
            new { platform, platformUserId }), cancellationToken);

    /// <summary>Deletes the user row; foreign keys cascade to preferences, feedback, active reactions, and unlink ledger rows.</summary>
    public Task<bool> ForgetAsync(IUnitOfWork unit, long userId, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, async (connection, transaction) =>
        {
            var existed = await connection.ExecuteAsync("DELETE FROM users WHERE id = @userId", new { userId }, transaction).ConfigureAwait(false) > 0;
            if (existed) await ChangeLog.AppendAsync(connection, transaction, ChangeKind.Forget, userId, []).ConfigureAwait(false);
            return existed;
        }, cancellationToken);
}
