using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Chat;

namespace SpotMirror.Telegram;

/// <summary>Keeps lobby time on Telegram: a lobby nobody said /group go to becomes its playlist when its time is up.</summary>
public sealed partial class TelegramGroupTimer(GroupLobbyClock lobbies, OutboxSignal signal, TimeProvider clock, ILogger<TelegramGroupTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(GroupLobbyClock.Every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var made = await lobbies.CloseDueAsync(TelegramUpdateParser.Platform,
                        (session, reply) => new OutgoingReply(long.Parse(session.ChatId, CultureInfo.InvariantCulture), null, reply).ToPayload(),
                        stoppingToken).ConfigureAwait(false);
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
