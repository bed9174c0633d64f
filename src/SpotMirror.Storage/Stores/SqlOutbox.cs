using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>
/// The outbox table: replies queued inside batch transactions, claimed by one worker at a time, settled as sent
/// or abandoned. One instance is one worker (its claimant name is unique per process start); claims are timed
/// by the database's clock, so the workers' own clocks never have to agree.
/// </summary>
public sealed class SqlOutbox : IOutbox
{
    /// <summary>Long enough for a sender's pass (it claims again after a third of it), short enough that a dead worker's replies wait little.</summary>
    public static readonly TimeSpan DefaultClaimTime = TimeSpan.FromSeconds(30);

    private readonly IDatabase _database;

    public SqlOutbox(IDatabase database)
        : this(database, DefaultClaimTime, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}")
    {
    }

    /// <param name="claimant">This worker's name in claimed_by; unique per process start, so a restarted worker never mistakes its old claims for its own.</param>
    public SqlOutbox(IDatabase database, TimeSpan claimTime, string claimant)
    {
        _database = database;
        ClaimTime = claimTime;
        Claimant = claimant;
    }

    public TimeSpan ClaimTime { get; }

    public string Claimant { get; }

    private sealed record Row(long Id, string Platform, string ChatId, string EventId, string Payload, long Attempts, long CreatedAt);

    /// <summary>Queues in a transaction of its own (tools, tests).</summary>
    public Task<bool> EnqueueAsync(string platform, string chatId, string eventId, string payload, DateTimeOffset at, CancellationToken cancellationToken) =>
        _database.RunAsync((unit, ct) => EnqueueAsync(unit, platform, chatId, eventId, payload, at, ct), cancellationToken);

    public Task<bool> EnqueueAsync(IUnitOfWork unit, string platform, string chatId, string eventId, string payload, DateTimeOffset at, CancellationToken cancellationToken) =>
        _database.WriteAsync(unit, async (connection, transaction) =>
        {
            // Claimed by this worker from the start: the worker that handled the event sends its reply.
            var until = await _database.ClockAsync(connection, transaction).ConfigureAwait(false) + Milliseconds(ClaimTime);
            return await connection.ExecuteAsync(
                """
                INSERT INTO outbox (platform, chat_id, event_id, payload, created_at, claimed_by, claimed_until)
                VALUES (@platform, @chatId, @eventId, @payload, @at, @claimant, @until)
                ON CONFLICT (platform, event_id) DO NOTHING
                """,
                new { platform, chatId, eventId, payload, at = at.ToUnixTimeMilliseconds(), claimant = Claimant, until }, transaction).ConfigureAwait(false) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<OutboxItem>> ClaimAsync(string platform, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        _database.WriteAsync<IReadOnlyList<OutboxItem>>(async (connection, transaction) =>
        {
            var clock = await _database.ClockAsync(connection, transaction).ConfigureAwait(false);
            // The claim conditions are repeated outside the subquery: a statement that waited on another worker's
            // claim of the same rows checks them again against what that worker committed.
            var rows = await connection.QueryAsync<Row>(
                """
                UPDATE outbox SET claimed_by = @claimant, claimed_until = @until
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE platform = @platform AND state IS NULL AND not_before <= @now
                      AND (claimed_by = @claimant OR claimed_until < @clock)
                    ORDER BY id LIMIT @max)
                  AND state IS NULL AND (claimed_by = @claimant OR claimed_until < @clock)
                RETURNING id, platform, chat_id, event_id, payload, attempts, created_at
                """,
                new { platform, now = now.ToUnixTimeMilliseconds(), max, claimant = Claimant, clock, until = clock + Milliseconds(ClaimTime) },
                transaction).ConfigureAwait(false);
            return rows
                .OrderBy(r => r.Id)
                .Select(r => new OutboxItem(r.Id, r.Platform, r.ChatId, r.EventId, r.Payload, (int)r.Attempts, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt)))
                .ToList();
        }, cancellationToken);

    public Task ReleaseAsync(string platform, CancellationToken cancellationToken) =>
        _database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE outbox SET claimed_until = 0 WHERE platform = @platform AND claimed_by = @claimant AND state IS NULL",
            new { platform, claimant = Claimant }, transaction), cancellationToken);

    public Task SentAsync(long id, string messageId, DateTimeOffset at, Func<IUnitOfWork, CancellationToken, Task> alsoInTransaction, CancellationToken cancellationToken) =>
        _database.RunAsync(async (unit, ct) =>
        {
            await alsoInTransaction(unit, ct).ConfigureAwait(false);
            return await _database.WriteAsync(unit, (connection, transaction) => connection.ExecuteAsync(
                "UPDATE outbox SET state = 'sent', message_id = @messageId, settled_at = @at, attempts = attempts + 1 WHERE id = @id",
                new { id, messageId, at = at.ToUnixTimeMilliseconds() }, transaction), ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Keeps this worker's claim until a claim's time past notBefore, so the retry stays with it unless it dies.</summary>
    public Task RetryLaterAsync(long id, string reason, DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        _database.WriteAsync(async (connection, transaction) =>
        {
            var wait = Math.Max(0, notBefore.ToUnixTimeMilliseconds() - IDatabase.Now());
            var until = await _database.ClockAsync(connection, transaction).ConfigureAwait(false) + wait + Milliseconds(ClaimTime);
            return await connection.ExecuteAsync(
                """
                UPDATE outbox SET attempts = attempts + 1, last_error = @reason, not_before = @notBefore,
                    claimed_until = CASE WHEN claimed_by = @claimant THEN @until ELSE claimed_until END
                WHERE id = @id
                """,
                new { id, reason, notBefore = notBefore.ToUnixTimeMilliseconds(), claimant = Claimant, until }, transaction).ConfigureAwait(false);
        }, cancellationToken);

    public Task AbandonAsync(long id, string reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        _database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE outbox SET state = 'abandoned', attempts = attempts + 1, last_error = @reason, settled_at = @at WHERE id = @id",
            new { id, reason, at = at.ToUnixTimeMilliseconds() }, transaction), cancellationToken);

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;
}
