using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;

namespace SpotMirror.Discord;

/// <summary>
/// Sends what the bot queued in the outbox: an interaction's answer edits its deferred message (the
/// token is good for 15 minutes); a timer's playlist is a new channel message, made idempotent with a
/// nonce. A sent list is recorded in the ledger in the same transaction that marks it sent, then gets
/// its seed reactions. Rate limits are the REST client's business; failures Discord will never accept
/// are set aside with their reason, transient ones are tried again with backoff. With several shards on one
/// database, each reply is sent by the worker holding its claim (<see cref="IOutbox"/>): the shard that handled
/// the event, or after its claim ran out (the shard died), the next shard to look.
/// </summary>
public sealed partial class DiscordSender(
    DiscordApi api,
    ChatService chat,
    IOutbox outbox,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<DiscordSender> logger) : BackgroundService
{
    private static readonly TimeSpan IdleLook = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TokenLife = TimeSpan.FromMinutes(15);
    private static readonly Backoff RetryLater = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SendLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // What this shard claimed but did not send goes to another shard at once, not after the claims run out.
            await OutboxClaims.ReleaseAsync(outbox, DiscordInboundParser.Platform, logger).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = clock.GetTimestamp();
                var pending = await outbox.ClaimAsync(DiscordInboundParser.Platform, clock.GetUtcNow(), 50, stoppingToken).ConfigureAwait(false);
                foreach (var item in pending)
                {
                    // A slow pass claims again before its claims could run out and pass to another shard mid-send.
                    if (OutboxClaims.Renew(outbox, clock.GetElapsedTime(claimed))) break;
                    await SendAsync(item, stoppingToken).ConfigureAwait(false);
                }
                if (pending.Count == 0) await signal.WaitAsync(IdleLook, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogLoopFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (DiscordOutgoing.FromPayload(item.Payload) is not { } outgoing)
        {
            await outbox.AbandonAsync(item.Id, "the queued reply could not be read", now, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (outgoing.Kind == DiscordOutgoing.Interaction && now - outgoing.InteractionAt > TokenLife)
        {
            await outbox.AbandonAsync(item.Id, "the interaction token expired", now, cancellationToken).ConfigureAwait(false);
            LogDropped(logger, outgoing.ChannelId, "the interaction token expired");
            return;
        }

        // A sign-in link is minted only now, as the answer goes (into an ephemeral answer), so the outbox never held it.
        var message = DiscordRenderer.Render(await chat.CompleteAsync(outgoing.Reply, cancellationToken).ConfigureAwait(false));
        try
        {
            // The taste picture is drawn now from what is stored and goes in the same request as the text, so the
            // answer and its picture arrive (or are retried) together.
            var files = await chat.PictureAsync(outgoing.Reply, cancellationToken).ConfigureAwait(false) is { } png
                ? [DiscordRenderer.AttachPicture(message, png)]
                : Array.Empty<DiscordFile>();
            JsonNode sent;
            if (outgoing.Kind == DiscordOutgoing.Interaction)
            {
                sent = await api.EditOriginalAsync(outgoing.ApplicationId, outgoing.Token, message, files, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                message["nonce"] = $"sm{item.Id}";
                message["enforce_nonce"] = true;
                sent = await api.CreateMessageAsync(outgoing.ChannelId, message, files, cancellationToken).ConfigureAwait(false);
            }
            var messageId = (string?)sent["id"] ?? throw new InvalidDataException("Discord returned a message without an id");
            await outbox.SentAsync(item.Id, messageId, clock.GetUtcNow(),
                (unit, ct) => chat.RecordSentAsync(unit, DiscordInboundParser.Platform, outgoing.ChannelId, messageId, outgoing.Reply, ct), cancellationToken).ConfigureAwait(false);
            await SeedReactionsAsync(outgoing, messageId, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordRestException exception) when (exception.Status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            // Unknown webhook or interaction, an expired token, a refused body, no access: it will never go.
            await outbox.AbandonAsync(item.Id, $"{(int)exception.Status} {exception.Code} {exception.DiscordMessage}", clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            LogDropped(logger, outgoing.ChannelId, $"{exception.Code} {exception.DiscordMessage}");
        }
        catch (Exception exception) when (exception is DiscordRestException or HttpRequestException or InvalidDataException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var delay = RetryLater.Delay(item.Attempts + 1);
            await outbox.RetryLaterAsync(item.Id, exception.Message, clock.GetUtcNow() + delay, cancellationToken).ConfigureAwait(false);
            LogRetrying(logger, outgoing.ChannelId, exception.Message, delay.TotalSeconds);
        }
    }

    /// <summary>A list gets 👍 ❤️ 👎 and a lobby 🎧, so reacting is one tap; a failure here costs only the convenience.</summary>
    private async Task SeedReactionsAsync(DiscordOutgoing outgoing, string messageId, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> seeds = outgoing.Reply.AcceptsFeedback ? DiscordRenderer.SeedReactions
            : outgoing.Reply.Kind == ReplyKind.Lobby ? [ChatService.JoinEmoji]
            : [];
        foreach (var emoji in seeds)
        {
            try
            {
                await api.AddOwnReactionAsync(outgoing.ChannelId, messageId, emoji, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is DiscordRestException or HttpRequestException)
            {
                LogSeedFailed(logger, emoji, exception.Message);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: the sender could not read the outbox; trying again shortly")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: a reply to channel {ChannelId} was dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: a reply to channel {ChannelId} failed ({Error}); trying again in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, string channelId, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord: the seed reaction {Emoji} could not be added ({Error})")]
    private static partial void LogSeedFailed(ILogger logger, string emoji, string error);
}
