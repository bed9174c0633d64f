using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>The ledger: which tracks each reply showed, kept in SQLite so it outlives a restart.</summary>
public sealed class SqlMessageLedger(IDatabase database) : IMessageLedger
{
    private sealed record MessageRow(string Platform, string ChatId, string MessageId, long? RequestedBy, string Context, long SentAt);

    public Task RecordAsync(IUnitOfWork unit, SentMessage message, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, async (connection, transaction) =>
        {
            var key = new { message.Platform, message.ChatId, message.MessageId };
            await connection.ExecuteAsync(
                """
                INSERT INTO sent_messages (platform, chat_id, message_id, requested_by, context, sent_at)
                VALUES (@Platform, @ChatId, @MessageId, @RequestedBy, @Context, @SentAt)
                ON CONFLICT DO NOTHING
                """,
                new { message.Platform, message.ChatId, message.MessageId, message.RequestedBy, message.Context, SentAt = message.SentAt.ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                """
                INSERT INTO sent_message_tracks (platform, chat_id, message_id, position, track_id)
                VALUES (@Platform, @ChatId, @MessageId, @Position, @TrackId)
                ON CONFLICT DO NOTHING
                """,
                message.TrackIds.Select((trackId, i) => new { key.Platform, key.ChatId, key.MessageId, Position = i + 1, TrackId = trackId }),
                transaction).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    public Task<SentMessage?> FindAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var key = new { platform, chatId, messageId };
            var row = await connection.QuerySingleOrDefaultAsync<MessageRow>(
                """
                SELECT platform, chat_id, message_id, requested_by, context, sent_at FROM sent_messages
                WHERE platform = @platform AND chat_id = @chatId AND message_id = @messageId
                """, key).ConfigureAwait(false);
            if (row is null) return null;
            var tracks = await connection.QueryAsync<long>(
                """
                SELECT track_id FROM sent_message_tracks
                WHERE platform = @platform AND chat_id = @chatId AND message_id = @messageId
                ORDER BY position
                """, key).ConfigureAwait(false);
            return new SentMessage(row.Platform, row.ChatId, row.MessageId, row.RequestedBy, row.Context, tracks.ToList(),
                DateTimeOffset.FromUnixTimeMilliseconds(row.SentAt));
        }, cancellationToken);
}
