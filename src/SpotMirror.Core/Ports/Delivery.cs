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

    /// <summary>
    /// As <see cref="CommitAsync{T}(string, Func{IUnitOfWork, CancellationToken, Task{ValueTuple{T, string}}}, CancellationToken)"/>,
    /// and only while <paramref name="fence"/> still holds its lease, checked inside the same transaction: when the
    /// lease has run out or passed on, nothing of the batch commits and <see cref="LeaseLostException"/> says so.
    /// </summary>
    Task<T> CommitAsync<T>(string connection, LeaseFence fence, Func<IUnitOfWork, CancellationToken, Task<(T Result, string Position)>> work, CancellationToken cancellationToken);
}

/// <summary>A reply waiting to be sent: queued with the effects of the event that asked for it.</summary>
public sealed record OutboxItem(long Id, string Platform, string ChatId, string EventId, string Payload, int Attempts, DateTimeOffset CreatedAt);

/// <summary>
/// Replies decided inside a committed batch, sent afterwards by the adapter; each queued once per event. Several
/// workers may share one outbox: each reply is claimed by one worker at a time (this outbox's worker, from the
/// moment it queues it), and a claim its worker stops renewing runs out and passes to the next worker that claims.
/// </summary>
public interface IOutbox
{
    /// <summary>Queues a reply for the event, claimed by this worker; false when that event's reply is queued already (a redelivery).</summary>
    Task<bool> EnqueueAsync(IUnitOfWork unit, string platform, string chatId, string eventId, string payload, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Claims (or renews this worker's claim on) the oldest pending replies of a platform that are due at this time
    /// and that no other worker holds a live claim on, and returns them in the order they were queued. One
    /// statement: two workers claiming at once never get the same reply. The claim lasts <see cref="ClaimTime"/>.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimAsync(string platform, DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>How long a claim lasts unless renewed: a sender finishes a pass within a part of it, then claims again.</summary>
    TimeSpan ClaimTime { get; }

    /// <summary>Gives up this worker's claims on a platform's pending replies (a stop), so another worker sends them at once.</summary>
    Task ReleaseAsync(string platform, CancellationToken cancellationToken);

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
