using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;

namespace SpotMirror.Telegram;

/// <summary>
/// Keeps lobby time on Telegram: a lobby nobody said /group go to becomes its playlist when its time is up.
/// Closing the session and queueing the playlist in the outbox are one transaction, so a crash between
/// them loses nothing (the session stays open and is closed on the next look).
/// </summary>
public sealed partial class TelegramGroupTimer(
    ChatService chat,
    ICheckpointStore checkpoints,
    IOutbox outbox,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<TelegramGroupTimer> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var made = await checkpoints.CommitAsync("telegram:groups", async ct =>
                    {
                        var due = await chat.CloseDueGroupsAsync(TelegramUpdateParser.Platform, ct).ConfigureAwait(false);
                        foreach (var (session, reply) in due)
                        {
                            var outgoing = new OutgoingReply(long.Parse(session.ChatId, CultureInfo.InvariantCulture), null, reply);
                            await outbox.EnqueueAsync(TelegramUpdateParser.Platform, session.ChatId, $"tg:group:{session.Id}", outgoing.ToPayload(), clock.GetUtcNow(), ct).ConfigureAwait(false);
                        }
                        return (due.Count, clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
                    }, stoppingToken).ConfigureAwait(false);
                    if (made > 0) signal.Notify();
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram: closing due group lobbies failed; trying again shortly")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
