using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SpotMirror.Chat;

namespace SpotMirror.Telegram;

/// <summary>Keeps lobby time on Telegram, through the clock Discord's adapter runs too; its own service, since the poller has no other loop to ride on.</summary>
/// <remarks>When polling, only the lease holder closes lobbies: it is the worker whose sender sends what it queues.</remarks>
public sealed class TelegramGroupTimer(GroupLobbyClock lobbies, OutboxSignal signal, PollLeadership leadership, IOptions<TelegramOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        lobbies.KeepTimeAsync(TelegramUpdateParser.Platform,
            (session, reply) => new OutgoingReply(long.Parse(session.ChatId, CultureInfo.InvariantCulture), null, reply).ToPayload(),
            signal, () => options.Value.Webhook || leadership.IsLeader, stoppingToken);
}
