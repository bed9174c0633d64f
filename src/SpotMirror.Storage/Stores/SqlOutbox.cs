using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>The outbox table: replies queued inside batch transactions, settled as sent or abandoned.</summary>
public sealed class SqlOutbox(IDatabase database) : IOutbox
{
    private sealed record Row(long Id, string Platform, string ChatId, string EventId, string Payload, long Attempts, long CreatedAt);

    /// <summary>Queues in a transaction of its own (tools, tests).</summary>
    public Task<bool> EnqueueAsync(string platform, string chatId, string eventId, string payload, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.RunAsync((unit, ct) => EnqueueAsync(unit, platform, chatId, eventId, payload, at, ct), cancellationToken);

    public Task<bool> EnqueueAsync(IUnitOfWork unit, string platform, string chatId, string eventId, string payload, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, async (connection, transaction) =>
            await connection.ExecuteAsync(
                """
                INSERT INTO outbox (platform, chat_id, event_id, payload, created_at)
                VALUES (@platform, @chatId, @eventId, @payload, @at)
                ON CONFLICT (platform, event_id) DO NOTHING
                """,
                new { platform, chatId, eventId, payload, at = at.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false) == 1,
            cancellationToken);

    public Task<IReadOnlyList<OutboxItem>> PendingAsync(string platform, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<OutboxItem>>(async connection =>
            (await connection.QueryAsync<Row>(
                """
                SELECT id, platform, chat_id, event_id, payload, attempts, created_at FROM outbox
                WHERE platform = @platform AND state IS NULL AND not_before <= @now
                ORDER BY id LIMIT @max
                """,
                new { platform, now = now.ToUnixTimeMilliseconds(), max }).ConfigureAwait(false))
            .Select(r => new OutboxItem(r.Id, r.Platform, r.ChatId, r.EventId, r.Payload, (int)r.Attempts, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt)))
            .ToList(),
            cancellationToken);

    public Task SentAsync(long id, string messageId, DateTimeOffset at, Func<IUnitOfWork, CancellationToken, Task> alsoInTransaction, CancellationToken cancellationToken) =>
        database.RunAsync(async (unit, ct) =>
        {
            await alsoInTransaction(unit, ct).ConfigureAwait(false);
            return await database.WriteAsync(unit, (connection, transaction) => connection.ExecuteAsync(
                "UPDATE outbox SET state = 'sent', message_id = @messageId, settled_at = @at, attempts = attempts + 1 WHERE id = @id",
                new { id, messageId, at = at.ToUnixTimeMilliseconds() }, transaction), ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task RetryLaterAsync(long id, string reason, DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE outbox SET attempts = attempts + 1, last_error = @reason, not_before = @notBefore WHERE id = @id",
            new { id, reason, notBefore = notBefore.ToUnixTimeMilliseconds() }, transaction), cancellationToken);

    public Task AbandonAsync(long id, string reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE outbox SET state = 'abandoned', attempts = attempts + 1, last_error = @reason, settled_at = @at WHERE id = @id",
            new { id, reason, at = at.ToUnixTimeMilliseconds() }, transaction), cancellationToken);
}
