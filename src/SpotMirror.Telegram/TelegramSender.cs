using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace SpotMirror.Telegram;

/// <summary>
/// Sends the replies the poller queued in the outbox, in order per chat, within Telegram's flood limits.
/// A sent reply is marked sent together with its ledger record; a 429 holds that chat for as long as
/// Telegram asks; a transient failure is retried with backoff; a reply Telegram refuses for good (the
/// bot was blocked, the chat is gone) is set aside with its reason. HTML that Telegram cannot parse is
/// sent again as plain text. Each reply is sent by the worker holding its claim (<see cref="IOutbox"/>): the one
/// that handled the update, or after its claim ran out, the next to look. When polling, only the worker holding
/// the poll lease sends at all (Telegram's flood limits are per bot, not per worker); in webhook mode every
/// worker sends the replies it claimed.
/// </summary>
public sealed partial class TelegramSender(
    TelegramConnection connection,
    ChatService chat,
    IOutbox outbox,
    OutboxSignal signal,
    PollLeadership leadership,
    IOptions<TelegramOptions> options,
    TimeProvider clock,
    ILogger<TelegramSender> logger) : BackgroundService
{
    private static readonly TimeSpan IdleLook = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StandbyLook = TimeSpan.FromSeconds(1);
    private static readonly Backoff RetryLater = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    private readonly TelegramOptions _options = options.Value;
    private readonly SendThrottle _throttle = new(
        clock, TimeSpan.FromSeconds(options.Value.PerChatIntervalSeconds), options.Value.GroupMessagesPerMinute, options.Value.MessagesPerSecond);

    private enum Outcome
    {
        Sent,
        Later,
        Dropped,
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SendLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // What this worker claimed but did not send goes to another worker at once, not after the claims run out.
            await OutboxClaims.ReleaseAsync(outbox, TelegramUpdateParser.Platform, logger).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        var holding = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_options.Webhook && !leadership.IsLeader)
                {
                    // Standby: the leader sends; a leader that just lost the lease hands its claims on at once.
                    if (holding) await outbox.ReleaseAsync(TelegramUpdateParser.Platform, stoppingToken).ConfigureAwait(false);
                    holding = false;
                    // Look again soon, so a takeover sends what the old leader left queued.
                    await Task.Delay(StandbyLook, clock, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                holding = true;
                var wait = await SendDueAsync(stoppingToken).ConfigureAwait(false);
                if (wait > TimeSpan.Zero) await signal.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database said no (locked, full): the replies stay queued; look again shortly.
                LogLoopFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One pass over the due replies; returns how long to wait before the next pass.</summary>
    private async Task<TimeSpan> SendDueAsync(CancellationToken cancellationToken)
    {
        var claimed = clock.GetTimestamp();
        var pending = await outbox.ClaimAsync(TelegramUpdateParser.Platform, clock.GetUtcNow(), 100, cancellationToken).ConfigureAwait(false);
        if (pending.Count == 0) return IdleLook;

        // A chat whose first reply cannot go now keeps the rest of its replies back too, so they stay in order.
        var heldChats = new HashSet<string>(StringComparer.Ordinal);
        var soonest = IdleLook;
        var sentAny = false;
        foreach (var item in pending)
        {
            // A slow pass claims again before its claims could run out and pass to another worker mid-send.
            if (OutboxClaims.Renew(outbox, clock.GetElapsedTime(claimed))) return TimeSpan.Zero;
            if (heldChats.Contains(item.ChatId)) continue;
            var group = item.ChatId.StartsWith('-');
            var wait = _throttle.Wait(item.ChatId, group);
            if (wait > TimeSpan.Zero)
            {
                heldChats.Add(item.ChatId);
                if (wait < soonest) soonest = wait;
                continue;
            }
            var outcome = await SendAsync(item, group, cancellationToken).ConfigureAwait(false);
            if (outcome == Outcome.Later) heldChats.Add(item.ChatId);
            else sentAny = true;
        }
        // Something went: look again at once for what is now due; else sleep until the first chat may send.
        return sentAny ? TimeSpan.Zero : soonest;
    }

    private async Task<Outcome> SendAsync(OutboxItem item, bool group, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (OutgoingReply.FromPayload(item.Payload) is not { } outgoing)
        {
            await outbox.AbandonAsync(item.Id, "the queued reply could not be read", now, cancellationToken).ConfigureAwait(false);
            LogDropped(logger, item.ChatId, "the queued reply could not be read");
            return Outcome.Dropped;
        }
        if (now - item.CreatedAt > TimeSpan.FromMinutes(_options.ReplyExpiryMinutes))
        {
            await outbox.AbandonAsync(item.Id, "too late to be useful", now, cancellationToken).ConfigureAwait(false);
            LogDropped(logger, item.ChatId, $"still unsent after {_options.ReplyExpiryMinutes} minutes");
            return Outcome.Dropped;
        }

        try
        {
            var messageId = await DeliverAsync(outgoing, group, cancellationToken).ConfigureAwait(false);
            if (messageId is null)
            {
                // The ledger cannot learn an id it was not told; the buttons carry their track ids, so they still count.
                LogNoMessageId(logger, item.ChatId);
                await outbox.SentAsync(item.Id, "", clock.GetUtcNow(), (_, _) => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
                return Outcome.Sent;
            }
            await outbox.SentAsync(item.Id, messageId, clock.GetUtcNow(),
                (unit, ct) => chat.RecordSentAsync(unit, TelegramUpdateParser.Platform, item.ChatId, messageId, outgoing.Reply, ct), cancellationToken).ConfigureAwait(false);
            return Outcome.Sent;
        }
        catch (ApiRequestException exception) when (exception.ErrorCode == 429)
        {
            var retryAfter = TimeSpan.FromSeconds(exception.Parameters?.RetryAfter ?? 5);
            _throttle.Hold(item.ChatId, retryAfter);
            await outbox.RetryLaterAsync(item.Id, $"429 retry after {retryAfter.TotalSeconds:0} s", clock.GetUtcNow() + retryAfter, cancellationToken).ConfigureAwait(false);
            LogThrottled(logger, item.ChatId, retryAfter.TotalSeconds);
            return Outcome.Later;
        }
        catch (ApiRequestException exception) when (exception.ErrorCode is 400 or 403)
        {
            // The chat is gone, the bot was blocked or removed, the message was refused: it will never go.
            var reason = $"{exception.ErrorCode} {connection.Redact(exception.Message)}";
            await outbox.AbandonAsync(item.Id, reason, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            LogDropped(logger, item.ChatId, reason);
            return Outcome.Dropped;
        }
        catch (Exception exception) when (exception is ApiRequestException or RequestException or HttpRequestException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var delay = RetryLater.Delay(item.Attempts + 1);
            _throttle.Hold(item.ChatId, delay);
            await outbox.RetryLaterAsync(item.Id, connection.Describe(exception), clock.GetUtcNow() + delay, cancellationToken).ConfigureAwait(false);
            LogRetrying(logger, item.ChatId, connection.Describe(exception), delay.TotalSeconds);
            return Outcome.Later;
        }
    }

    /// <summary>
    /// Sends every chunk of the reply; the keyboard rides on the last, whose id the ledger keeps. Null when
    /// Telegram took the message but its answer had no readable id: sent all the same, never sent again.
    /// </summary>
    private async Task<string?> DeliverAsync(OutgoingReply outgoing, bool group, CancellationToken cancellationToken)
    {
        // A sign-in link is minted only now, as the message goes, so the outbox never held it.
        var chunks = TelegramRenderer.Render(await chat.CompleteAsync(outgoing.Reply, cancellationToken).ConfigureAwait(false));
        var chatKey = outgoing.ChatId.ToString(CultureInfo.InvariantCulture);
        long? last = null;
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            var replyTo = i == 0 && outgoing.ReplyToMessageId is { } original
                ? new ReplyParameters { MessageId = original, AllowSendingWithoutReply = true }
                : null;
            try
            {
                last = await connection.SendMessageAsync(outgoing.ChatId, chunk.Html, ParseMode.Html, replyTo, chunk.Keyboard, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiRequestException exception) when (exception.ErrorCode == 400 && exception.Message.Contains("can't parse entities", StringComparison.OrdinalIgnoreCase))
            {
                // Our escaping should make this impossible; if Telegram still disagrees, the words matter more than the bold.
                LogPlainFallback(logger, chatKey, connection.Redact(exception.Message));
                last = await connection.SendMessageAsync(outgoing.ChatId, chunk.Plain, null, replyTo, chunk.Keyboard, cancellationToken).ConfigureAwait(false);
            }
            _throttle.Sent(chatKey, group);
        }
        await SendPictureAsync(outgoing, chatKey, group, cancellationToken).ConfigureAwait(false);
        return last?.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The taste picture a /profile reply carries, rendered now from what is stored and uploaded after the text.
    /// The text is the reply of record: were a failed upload to send the whole reply again, the chat would see
    /// the text twice, so a picture that cannot go is logged and let go.
    /// </summary>
    private async Task SendPictureAsync(OutgoingReply outgoing, string chatKey, bool group, CancellationToken cancellationToken)
    {
        if (outgoing.Reply.PictureOf is null) return;
        try
        {
            if (await chat.PictureAsync(outgoing.Reply, cancellationToken).ConfigureAwait(false) is not { } png) return;
            using var stream = new MemoryStream(png, writable: false);
            await connection.Bot.SendPhoto(
                chatId: outgoing.ChatId, photo: InputFile.FromStream(stream, "taste.png"), caption: "Your taste, as a picture",
                cancellationToken: cancellationToken).ConfigureAwait(false);
            _throttle.Sent(chatKey, group);
        }
        catch (Exception exception) when (exception is ApiRequestException or RequestException or HttpRequestException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogPictureFailed(logger, chatKey, connection.Describe(exception));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram: the sender could not read the outbox; trying again shortly")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: chat {ChatId} throttled by Telegram; holding its replies {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, string chatId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: a reply to chat {ChatId} failed ({Error}); trying again in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, string chatId, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: a reply to chat {ChatId} was dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string chatId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: a reply to chat {ChatId} was sent, but the answer had no readable message_id; reactions to it cannot be matched")]
    private static partial void LogNoMessageId(ILogger logger, string chatId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: the taste picture for chat {ChatId} was not sent ({Error}); the text reply was")]
    private static partial void LogPictureFailed(ILogger logger, string chatId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: chat {ChatId} refused our HTML ({Description}); sent as plain text instead")]
    private static partial void LogPlainFallback(ILogger logger, string chatId, string description);
}
