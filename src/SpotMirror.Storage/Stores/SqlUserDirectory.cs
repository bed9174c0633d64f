using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

public sealed class SqlUserDirectory(IDatabase database) : IUserDirectory
{
    /// <summary>Resolves in a transaction of its own (start-up work, tools, tests).</summary>
    public Task<long> ResolveAsync(ChatUser user, CancellationToken cancellationToken) =>
        database.RunAsync((unit, ct) => ResolveAsync(unit, user, ct), cancellationToken);

    /// <summary>
    /// The user's id, their row made on first sight. A known user's row is written only when their name changed or
    /// seen_at is an hour old (<see cref="SeenResolution"/>): in a raid of reactions every event resolves its user, and
    /// rewriting the row each time dirtied one more scattered page per event for a time nobody reads to the second.
    /// When the upsert changes nothing it returns no row, and the id is read instead.
    /// </summary>
    public Task<long> ResolveAsync(IUnitOfWork unit, ChatUser user, CancellationToken cancellationToken) =>
        SqlUnitOfWork.WriteStatementInAsync(database, unit, async (connection, transaction) =>
        {
            (string, object?)[] key = [("@Platform", user.Platform), ("@PlatformUserId", user.PlatformUserId)];
            var written = await Statements.RowsAsync(connection, transaction,
                """
                INSERT INTO users (platform, platform_user_id, display_name, created_at, seen_at)
                VALUES (@Platform, @PlatformUserId, CASE WHEN @DisplayName = '' THEN 'someone' ELSE @DisplayName END, @now, @now)
                ON CONFLICT (platform, platform_user_id) DO UPDATE SET
                    -- An event that carries no name (a Discord reaction removal) keeps the name we know.
                    display_name = CASE WHEN @DisplayName = '' THEN users.display_name ELSE excluded.display_name END,
                    seen_at = excluded.seen_at
                WHERE users.seen_at <= excluded.seen_at - @resolution OR (@DisplayName <> '' AND users.display_name <> @DisplayName)
                RETURNING id
                """, r => r.GetInt64(0),
                [.. key, ("@DisplayName", user.DisplayName), ("@now", IDatabase.Now()), ("@resolution", (long)SeenResolution.TotalMilliseconds)]).ConfigureAwait(false);
            if (written.Count > 0) return written[0];
            return await Statements.ScalarAsync<long>(connection, transaction,
                "SELECT id FROM users WHERE platform = @Platform AND platform_user_id = @PlatformUserId", key).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>How stale users.seen_at may grow before an event from the user writes it again.</summary>
    public static readonly TimeSpan SeenResolution = TimeSpan.FromHours(1);

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
