namespace SpotMirror.Core.Ports;

/// <summary>
/// An adapter's durable position in its platform's event stream (Telegram's update offset, Discord's
/// session and sequence), committed in one transaction with the effects of the events before it.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>The last committed position of this connection, or null before the first commit.</summary>
    Task<string?> ReadAsync(string connection, CancellationToken cancellationToken);

    /// <summary>
    /// Runs work in a new unit of work, which work passes to every store write of the batch, and saves the
    /// position work returns in it too. All of it commits, or none of it.
    /// </summary>
    Task<T> CommitAsync<T>(string connection, Func<IUnitOfWork, CancellationToken, Task<(T Result, string Position)>> work, CancellationToken cancellationToken);
}

/// <summary>A reply waiting to be sent: queued with the effects of the event that asked for it.</summary>
public sealed record OutboxItem(long Id, string Platform, string ChatId, string EventId, string Payload, int Attempts, DateTimeOffset CreatedAt);

/// <summary>Replies decided inside a committed batch, sent afterwards by the adapter; each queued once per event.</summary>
public interface IOutbox
{
    /// <summary>Queues a reply for the event; false when that event's reply is queued already (a redelivery).</summary>
    Task<bool> EnqueueAsync(IUnitOfWork unit, string platform, string chatId, string eventId, string payload, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The oldest pending replies of a platform that are due at this time, in the order they were queued.</summary>
    Task<IReadOnlyList<OutboxItem>> PendingAsync(string platform, DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the reply sent as the given platform message, in one unit of work with alsoInTransaction (the
    /// ledger's record of the message), so a sent reply is always known to the ledger.
    /// </summary>
    Task SentAsync(long id, string messageId, DateTimeOffset at, Func<IUnitOfWork, CancellationToken, Task> alsoInTransaction, CancellationToken cancellationToken);

    /// <summary>A transient failure: try again no sooner than notBefore.</summary>
    Task RetryLaterAsync(long id, string reason, DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>A reply that can never be sent (the chat is gone, the bot was blocked): kept with its reason, not retried.</summary>
    Task AbandonAsync(long id, string reason, DateTimeOffset at, CancellationToken cancellationToken);
}
