using System.Text.Json;
using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>One person's rows across the schema: what the web pages show and what Export hands over.</summary>
public sealed class SqlPersonalRecords(IDatabase database) : IPersonalRecords
{
    /// <summary>Every table that holds rows about a person, with the query that selects them (secret hashes left out).</summary>
    private static readonly (string Table, string Sql)[] ExportQueries =
    [
        ("users", "SELECT id, platform, platform_user_id, display_name, created_at, seen_at FROM users WHERE id = @userId"),
        ("feedback_events", "SELECT event_id, platform, chat_id, message_id, emoji, item_index, action, signal, outcome, created_at FROM feedback_events WHERE user_id = @userId ORDER BY id"),
        ("active_reactions", "SELECT platform, chat_id, message_id, emoji, item_index, added_at, deltas FROM active_reactions WHERE user_id = @userId ORDER BY added_at"),
        ("preferences", "SELECT p.track_id, t.title, a.name AS artist, p.score, p.hard_dislikes, p.updated_at FROM preferences p JOIN tracks t ON t.id = p.track_id JOIN artists a ON a.id = t.artist_id WHERE p.user_id = @userId ORDER BY p.track_id"),
        ("linked_accounts", "SELECT service, account, linked_at FROM linked_accounts WHERE user_id = @userId"),
        ("imported_preferences", "SELECT service, track_id, score, imported_at FROM imported_preferences WHERE user_id = @userId ORDER BY service, track_id"),
        ("group_members", "SELECT session_id, joined_at, satisfaction FROM group_members WHERE user_id = @userId ORDER BY session_id"),
        ("sent_messages", "SELECT platform, chat_id, message_id, context, sent_at FROM sent_messages WHERE requested_by = @userId ORDER BY sent_at"),
        ("web_sessions", "SELECT created_at, expires_at FROM web_sessions WHERE user_id = @userId ORDER BY created_at"),
        ("web_sign_in_tokens", "SELECT created_at, expires_at, used_at FROM web_sign_in_tokens WHERE user_id = @userId ORDER BY created_at"),
    ];

    private sealed record ReactionRow(string Platform, string ChatId, string MessageId, string Emoji, long ItemIndex, long AddedAt, string Deltas);

    private sealed record FeedbackRow(long CreatedAt, string Signal, string Action, string Outcome);

    private sealed record SessionRow(
        long Id, string Platform, string ChatId, long? CreatedBy, string? Mood, long Size, string Strategy, string State, long CreatedAt, long ClosesAt, long? ClosedAt);

    private sealed record MemberRow(long SessionId, long UserId, string DisplayName, long JoinedAt, double? Satisfaction);

    // Settable members: SQLite reports no type for the COUNT column when there are no rows, which a constructor match refuses.
    private sealed class LinkRow
    {
        public string Service { get; set; } = "";
        public string Account { get; set; } = "";
        public long LinkedAt { get; set; }
        public long Imported { get; set; }
    }

    public Task<IReadOnlyList<ActiveReaction>> ActiveReactionsAsync(long userId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ActiveReaction>>(async connection => (await connection.QueryAsync<ReactionRow>(
            """
            SELECT platform, chat_id, message_id, emoji, item_index, added_at, deltas FROM active_reactions
            WHERE user_id = @userId ORDER BY added_at DESC
            """, new { userId }).ConfigureAwait(false))
            .Select(r => new ActiveReaction(r.Platform, r.ChatId, r.MessageId, r.Emoji, (int)r.ItemIndex, DateTimeOffset.FromUnixTimeMilliseconds(r.AddedAt),
                (JsonSerializer.Deserialize<List<TrackDelta>>(r.Deltas) ?? []).Select(d => d.TrackId).ToList()))
            .ToList(), cancellationToken);

    public Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(long userId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<FeedbackRecord>>(async connection => (await connection.QueryAsync<FeedbackRow>(
            "SELECT created_at, signal, action, outcome FROM feedback_events WHERE user_id = @userId ORDER BY created_at, id", new { userId }).ConfigureAwait(false))
            .Select(r => new FeedbackRecord(DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), r.Signal, r.Action == "add", r.Outcome))
            .ToList(), cancellationToken);

    public Task<IReadOnlyList<GroupPlaylist>> GroupPlaylistsAsync(long userId, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<GroupPlaylist>>(async connection =>
        {
            var sessions = (await connection.QueryAsync<SessionRow>(
                """
                SELECT s.id, s.platform, s.chat_id, s.created_by, s.mood, s.size, s.strategy, s.state, s.created_at, s.closes_at, s.closed_at
                FROM group_sessions s
                WHERE s.state = 'done' AND s.id IN (SELECT session_id FROM group_members WHERE user_id = @userId)
                ORDER BY s.closed_at DESC LIMIT @max
                """, new { userId, max }).ConfigureAwait(false)).ToList();
            var ids = sessions.Select(s => s.Id).ToList();
            var members = (await connection.QueryAsync<MemberRow>(
                """
                SELECT m.session_id, m.user_id, u.display_name, m.joined_at, m.satisfaction
                FROM group_members m JOIN users u ON u.id = m.user_id
                WHERE m.session_id IN @ids ORDER BY m.joined_at
                """, new { ids }).ConfigureAwait(false)).ToLookup(m => m.SessionId);
            var playlists = new List<GroupPlaylist>(sessions.Count);
            foreach (var s in sessions)
            {
                // The playlist is the ledger's record of the list sent for that session (context group:ID).
                var tracks = (await connection.QueryAsync<long>(
                    """
                    SELECT t.track_id FROM sent_message_tracks t
                    JOIN sent_messages m ON m.platform = t.platform AND m.chat_id = t.chat_id AND m.message_id = t.message_id
                    WHERE m.platform = @Platform AND m.chat_id = @ChatId AND m.context = @context
                    ORDER BY m.sent_at DESC, t.position
                    """, new { s.Platform, s.ChatId, context = $"group:{s.Id}" }).ConfigureAwait(false)).Distinct().ToList();
                var session = new GroupSession(s.Id, s.Platform, s.ChatId, s.CreatedBy, s.Mood, (int)s.Size, s.Strategy, null, s.State == "open",
                    DateTimeOffset.FromUnixTimeMilliseconds(s.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(s.ClosesAt));
                playlists.Add(new GroupPlaylist(session, s.ClosedAt is { } closed ? DateTimeOffset.FromUnixTimeMilliseconds(closed) : null,
                    members[s.Id].Select(m => new GroupMember(m.UserId, m.DisplayName, DateTimeOffset.FromUnixTimeMilliseconds(m.JoinedAt), m.Satisfaction)).ToList(),
                    tracks));
            }
            return playlists;
        }, cancellationToken);

    public Task<IReadOnlyList<LinkedAccount>> LinkedAccountsAsync(long userId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<LinkedAccount>>(async connection => (await connection.QueryAsync<LinkRow>(
            """
            SELECT l.service, l.account, l.linked_at,
                   (SELECT COUNT(*) FROM imported_preferences i WHERE i.user_id = l.user_id AND i.service = l.service) AS imported
            FROM linked_accounts l WHERE l.user_id = @userId ORDER BY l.service
            """, new { userId }).ConfigureAwait(false))
            .Select(l => new LinkedAccount(new LinkableService(l.Service, l.Service), l.Account, (int)l.Imported, DateTimeOffset.FromUnixTimeMilliseconds(l.LinkedAt)))
            .ToList(), cancellationToken);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>> ExportAsync(long userId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>>(async connection =>
        {
            var export = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>(StringComparer.Ordinal);
            foreach (var (table, sql) in ExportQueries)
            {
                var rows = await connection.QueryAsync(sql, new { userId }).ConfigureAwait(false);
                export[table] = rows.Select(row => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>(
                    ((IDictionary<string, object?>)row), StringComparer.Ordinal)).ToList();
            }
            return export;
        }, cancellationToken);
}
