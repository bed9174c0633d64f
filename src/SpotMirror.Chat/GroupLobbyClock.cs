using System.Globalization;
using Microsoft.Extensions.Logging;
using SpotMirror.Core.Ports;

namespace SpotMirror.Chat;

/// <summary>
/// Keeps lobby time for every adapter: lobbies whose time is up become playlists, queued in the outbox in
/// the same transaction that closes them, so a crash between the two loses nothing (the session stays
/// open and is closed on the next tick). Each playlist is queued once (event id platform:group:N).
/// </summary>
public sealed partial class GroupLobbyClock(ChatService chat, ICheckpointStore checkpoints, IOutbox outbox, TimeProvider clock, ILogger<GroupLobbyClock> logger)
{
    /// <summary>How often the clock ticks.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Ticks until cancelled, closing the platform's due lobbies; payload renders a playlist for that
    /// platform's outbox, and the signal wakes its sender. A failed tick is logged and the next one tries again.
    /// A tick while <paramref name="sends"/> says this worker's sender is idle (a Telegram standby) is skipped: the
    /// playlist would be queued under this worker's claim and wait for the claim to run out.
    /// </summary>
    public async Task KeepTimeAsync(string platform, Func<GroupSession, Reply, string> payload, OutboxSignal signal, Func<bool>? sends, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (sends is not null && !sends()) continue;
                try
                {
                    if (await CloseDueAsync(platform, payload, cancellationToken).ConfigureAwait(false) > 0) signal.Notify();
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogFailed(logger, exception, platform);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Closes due lobbies of the platform once. Returns how many playlists were queued.</summary>
    public Task<int> CloseDueAsync(string platform, Func<GroupSession, Reply, string> payload, CancellationToken cancellationToken) =>
        checkpoints.CommitAsync($"{platform}:groups", async (unit, ct) =>
        {
            var due = await chat.CloseDueGroupsAsync(unit, platform, ct).ConfigureAwait(false);
            foreach (var (session, reply) in due)
            {
                await outbox.EnqueueAsync(unit, platform, session.ChatId, $"{platform}:group:{session.Id}", payload(session, reply), clock.GetUtcNow(), ct).ConfigureAwait(false);
            }
            return (due.Count, clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Platform}: closing due group lobbies failed; trying again shortly")]
    private static partial void LogFailed(ILogger logger, Exception exception, string platform);
}
