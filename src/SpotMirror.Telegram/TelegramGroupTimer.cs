using System.Globalization;
using Microsoft.Extensions.Hosting;
using SpotMirror.Chat;

namespace SpotMirror.Telegram;

/// <summary>Keeps lobby time on Telegram, through the clock Discord's adapter runs too; its own service, since the poller has no other loop to ride on.</summary>
public sealed class TelegramGroupTimer(GroupLobbyClock lobbies, OutboxSignal signal) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        lobbies.KeepTimeAsync(TelegramUpdateParser.Platform,
            (session, reply) => new OutgoingReply(long.Parse(session.ChatId, CultureInfo.InvariantCulture), null, reply).ToPayload(),
            signal, stoppingToken);
}
