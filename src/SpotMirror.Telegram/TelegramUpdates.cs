using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace SpotMirror.Telegram;

/// <summary>
/// The one inbound path of Telegram updates, however they arrive (a getUpdates batch or a webhook POST):
/// each update handled as one step of a unit of work that commits with the connection's position, replies
/// queued in the outbox inside it, button toasts answered after it. Every handler is idempotent by the
/// update's event id, so an update delivered twice changes nothing the second time.
/// </summary>
public sealed partial class TelegramUpdates(
    TelegramConnection connection,
    ChatService chat,
    ICheckpointStore checkpoints,
    IOutbox outbox,
    OutboxSignal signal,
    TelegramInlineAnswers inlineAnswers,
    TimeProvider clock,
    ILogger<TelegramUpdates> logger)
{
    /// <summary>
    /// Handles the updates and saves <paramref name="position"/> for <paramref name="checkpoint"/> in one transaction; a
    /// failed commit throws and nothing counts. With a <paramref name="fence"/> (the poll lease) the transaction commits
    /// only while that lease is still held, else <see cref="LeaseLostException"/>.
    /// </summary>
    public async Task CommitAsync(TelegramUpdateParser parser, string checkpoint, string position, IReadOnlyList<JsonElement> batch, LeaseFence? fence, CancellationToken cancellationToken)
    {
        var parsed = batch.Select(parser.Parse).ToList();
        // Network work (a /link fetch) before the transaction, which holds the write lock while it lasts.
        foreach (var command in parsed.OfType<InboundCommand>()) await chat.PrepareAsync(command.Event, cancellationToken).ConfigureAwait(false);
        // Inline queries are answered from memory at once (a person is typing), outside the transaction.
        foreach (var query in parsed.OfType<InboundInlineQuery>()) await inlineAnswers.AnswerAsync(query, cancellationToken).ConfigureAwait(false);

        async Task<(List<(string Id, string Text, bool Alert)>, string)> HandleAllAsync(IUnitOfWork unit, CancellationToken ct)
        {
            var answers = new List<(string Id, string Text, bool Alert)>();
            foreach (var inbound in parsed)
            {
                try
                {
                    // One step per update: a failure takes back that update's writes (and its toast) only.
                    var mine = new List<(string Id, string Text, bool Alert)>();
                    await unit.StepAsync(async c =>
                    {
                        await HandleAsync(inbound, unit, mine, c).ConfigureAwait(false);
                        return 0;
                    }, ct).ConfigureAwait(false);
                    answers.AddRange(mine);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // This one update's handling failed for good (its writes were taken back): skip it, keep the batch.
                    LogUpdateFailed(logger, exception, inbound.UpdateId);
                }
            }
            return (answers, position);
        }
        var answers = fence is null
            ? await checkpoints.CommitAsync(checkpoint, HandleAllAsync, cancellationToken).ConfigureAwait(false)
            : await checkpoints.CommitAsync(checkpoint, fence, HandleAllAsync, cancellationToken).ConfigureAwait(false);

        signal.Notify();
        foreach (var (id, text, alert) in answers)
        {
            try
            {
                await connection.Bot.AnswerCallbackQuery(id, text, showAlert: alert, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is ApiRequestException or RequestException or HttpRequestException)
            {
                // Too old or already answered: the feedback itself is committed, only the toast is lost.
                LogAnswerFailed(logger, connection.Describe(exception));
            }
        }
    }

    private async Task HandleAsync(TelegramInbound inbound, IUnitOfWork unit, List<(string Id, string Text, bool Alert)> answers, CancellationToken cancellationToken)
    {
        switch (inbound)
        {
            case InboundCommand command:
                var reply = await chat.HandleAsync(command.Event, unit, cancellationToken).ConfigureAwait(false);
                if (reply is not null)
                {
                    // A private reply (a sign-in link) goes to the person's own chat with the bot, not to the group.
                    long person = 0;
                    var privately = reply.Private && long.TryParse(command.Event.User.PlatformUserId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out person);
                    var outgoing = privately ? new OutgoingReply(person, null, reply) : new OutgoingReply(command.ChatId, command.MessageId, reply);
                    var target = privately ? command.Event.User.PlatformUserId : command.Event.ChatId;
                    await outbox.EnqueueAsync(unit, TelegramUpdateParser.Platform, target, command.Event.EventId, outgoing.ToPayload(), clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                }
                break;
            case InboundButton button:
                var receipt = await chat.HandleAsync(button.Event, unit, cancellationToken).ConfigureAwait(false);
                answers.Add((button.CallbackQueryId, Toast(receipt?.Title ?? ""), receipt?.Kind == ReplyKind.Problem));
                break;
            case InboundAction action:
                var brought = await chat.HandleAsync(action.Event, unit, cancellationToken).ConfigureAwait(false);
                if (brought is null or { Kind: ReplyKind.Problem or ReplyKind.Receipt })
                {
                    // Not for this person (someone else's More), or nothing to bring: a toast, never a message in the chat.
                    answers.Add((action.CallbackQueryId, Toast(brought?.Title ?? ""), brought?.Kind == ReplyKind.Problem));
                    break;
                }
                answers.Add((action.CallbackQueryId, "", false));
                var page = new OutgoingReply(action.ChatId, action.MessageId, brought);
                await outbox.EnqueueAsync(unit, TelegramUpdateParser.Platform, action.Event.ChatId, action.Event.EventId, page.ToPayload(), clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                break;
            case InboundInlineQuery:
                break;
            case InboundStrayButton stray:
                answers.Add((stray.CallbackQueryId, "", false));
                break;
            case InboundReactions reactions:
                // Emoji reactions are quiet feedback: no message back, or a busy group would drown in receipts.
                foreach (var reaction in reactions.Events) await chat.HandleAsync(reaction, unit, cancellationToken).ConfigureAwait(false);
                break;
            case InboundUnreadable unreadable:
                LogUnreadable(logger, unreadable.UpdateId, unreadable.Why);
                break;
            case InboundIgnored ignored:
                LogIgnored(logger, ignored.UpdateId, ignored.Why);
                break;
        }
    }

    /// <summary>answerCallbackQuery takes at most 200 characters.</summary>
    private static string Toast(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 199), "…");

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram: handling update {UpdateId} failed; it is skipped")]
    private static partial void LogUpdateFailed(ILogger logger, Exception exception, long updateId);
    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: update {UpdateId} could not be read and is skipped: {Why}")]
    private static partial void LogUnreadable(ILogger logger, long updateId, string why);
    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram: update {UpdateId} ignored: {Why}")]
    private static partial void LogIgnored(ILogger logger, long updateId, string why);
    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram: a button answer was refused ({Error})")]
    private static partial void LogAnswerFailed(ILogger logger, string error);
}
