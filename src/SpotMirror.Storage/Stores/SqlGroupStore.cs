using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>group_sessions and group_members (either provider).</summary>
public sealed class SqlGroupStore(IDatabase database) : IGroupStore
{
    private const string SelectSession =
        "SELECT id, platform, chat_id, created_by, mood, size, strategy, lobby_message_id, state, created_at, closes_at FROM group_sessions ";

    private sealed record SessionRow(
        long Id, string Platform, string ChatId, long? CreatedBy, string? Mood, long Size, string Strategy,
        string? LobbyMessageId, string State, long CreatedAt, long ClosesAt);

    private sealed record MemberRow(long UserId, string DisplayName, long JoinedAt, double? Satisfaction);

    public Task<GroupSession?> OpenAsync(IUnitOfWork unit, string platform, string chatId, long createdBy, string? mood, int size, string strategy,
        DateTimeOffset at, DateTimeOffset closesAt, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, async (connection, transaction) =>
        {
            // The one-open-lobby-per-chat index turns a second lobby into no row: somebody's lobby is gathering already.
            // Naming the index's predicate lets both providers take the partial index as the conflict target.
            var id = await connection.ExecuteScalarAsync<long?>(
                """
                INSERT INTO group_sessions (platform, chat_id, created_by, mood, size, strategy, created_at, closes_at)
                VALUES (@platform, @chatId, @createdBy, @mood, @size, @strategy, @at, @closesAt)
                ON CONFLICT (platform, chat_id) WHERE state = 'open' DO NOTHING
                RETURNING id
                """,
                new { platform, chatId, createdBy, mood, size, strategy, at = at.ToUnixTimeMilliseconds(), closesAt = closesAt.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            if (id is null) return null;
            await connection.ExecuteAsync(
                "INSERT INTO group_members (session_id, user_id, joined_at) VALUES (@id, @createdBy, @at)",
                new { id, createdBy, at = at.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
            return (GroupSession?)new GroupSession(id.Value, platform, chatId, createdBy, mood, size, strategy, null, true, at, closesAt);
        }, cancellationToken);

    public Task<GroupSession?> FindOpenAsync(string platform, string chatId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => ToSession(await connection.QuerySingleOrDefaultAsync<SessionRow>(
            SelectSession + "WHERE platform = @platform AND chat_id = @chatId AND state = 'open'",
            new { platform, chatId }).ConfigureAwait(false)), cancellationToken);

    public Task<GroupSession?> FindByLobbyAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => ToSession(await connection.QuerySingleOrDefaultAsync<SessionRow>(
            SelectSession + "WHERE platform = @platform AND chat_id = @chatId AND lobby_message_id = @messageId ORDER BY id DESC LIMIT 1",
            new { platform, chatId, messageId }).ConfigureAwait(false)), cancellationToken);

    public Task SetLobbyMessageAsync(IUnitOfWork unit, long sessionId, string messageId, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, (connection, transaction) => connection.ExecuteAsync(
            "UPDATE group_sessions SET lobby_message_id = @messageId WHERE id = @sessionId", new { sessionId, messageId }, transaction), cancellationToken);

    public Task<bool> JoinAsync(IUnitOfWork unit, long sessionId, long userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, async (connection, transaction) => await connection.ExecuteAsync(
            """
            INSERT INTO group_members (session_id, user_id, joined_at)
            SELECT @sessionId, @userId, @at WHERE EXISTS (SELECT 1 FROM group_sessions WHERE id = @sessionId AND state = 'open')
            ON CONFLICT (session_id, user_id) DO NOTHING
            """,
            new { sessionId, userId, at = at.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false) == 1, cancellationToken);

    public Task<bool> LeaveAsync(IUnitOfWork unit, long sessionId, long userId, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, async (connection, transaction) => await connection.ExecuteAsync(
            """
            DELETE FROM group_members WHERE session_id = @sessionId AND user_id = @userId
            AND EXISTS (SELECT 1 FROM group_sessions WHERE id = @sessionId AND state = 'open')
            """,
            new { sessionId, userId }, transaction).ConfigureAwait(false) == 1, cancellationToken);

    public Task<IReadOnlyList<GroupMember>> MembersAsync(long sessionId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<GroupMember>>(async connection => (await connection.QueryAsync<MemberRow>(
            """
            SELECT m.user_id, u.display_name, m.joined_at, m.satisfaction
            FROM group_members m JOIN users u ON u.id = m.user_id
            WHERE m.session_id = @sessionId ORDER BY m.joined_at, m.user_id
            """, new { sessionId }).ConfigureAwait(false))
            .Select(r => new GroupMember(r.UserId, r.DisplayName, DateTimeOffset.FromUnixTimeMilliseconds(r.JoinedAt), r.Satisfaction))
            .ToList(), cancellationToken);

    public Task<bool> CloseAsync(IUnitOfWork unit, long sessionId, IReadOnlyDictionary<long, double> satisfaction, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, async (connection, transaction) =>
        {
            var closed = await connection.ExecuteAsync(
                "UPDATE group_sessions SET state = 'done', closed_at = @at WHERE id = @sessionId AND state = 'open'",
                new { sessionId, at = at.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
            if (closed == 0) return false;
            foreach (var (userId, value) in satisfaction)
            {
                // Whoever said go counts even if they never joined: they become a member as the list is made.
                await connection.ExecuteAsync(
                    """
                    INSERT INTO group_members (session_id, user_id, joined_at, satisfaction) VALUES (@sessionId, @userId, @at, @value)
                    ON CONFLICT (session_id, user_id) DO UPDATE SET satisfaction = excluded.satisfaction
                    """,
                    new { sessionId, userId, value, at = at.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
            }
            return true;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<long, double>> LastSatisfactionAsync(string platform, string chatId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<long, double>>(async connection => (await connection.QueryAsync<(long UserId, double Satisfaction)>(
            """
            SELECT m.user_id, m.satisfaction FROM group_members m
            WHERE m.satisfaction IS NOT NULL AND m.session_id = (
                SELECT id FROM group_sessions WHERE platform = @platform AND chat_id = @chatId AND state = 'done' ORDER BY closed_at DESC, id DESC LIMIT 1)
            """, new { platform, chatId }).ConfigureAwait(false)).ToDictionary(r => r.UserId, r => r.Satisfaction), cancellationToken);

    public Task<IReadOnlyList<GroupSession>> DueAsync(string platform, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<GroupSession>>(async connection => (await connection.QueryAsync<SessionRow>(
            SelectSession + "WHERE platform = @platform AND state = 'open' AND closes_at <= @now ORDER BY closes_at",
            new { platform, now = now.ToUnixTimeMilliseconds() }).ConfigureAwait(false)).Select(r => ToSession(r)!).ToList(), cancellationToken);

    private static GroupSession? ToSession(SessionRow? row) => row is null ? null : new GroupSession(
        row.Id, row.Platform, row.ChatId, row.CreatedBy, row.Mood, (int)row.Size, row.Strategy, row.LobbyMessageId, row.State == "open",
        DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(row.ClosesAt));
}
