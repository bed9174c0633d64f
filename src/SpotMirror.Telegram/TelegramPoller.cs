using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Service;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace SpotMirror.Telegram;

/// <summary>
/// Our own long-polling loop (Telegram.Bot's receiver confirms updates before handling them, and one
/// poison update stalls it: protocols.md 6.2). Each batch is handled inside one transaction that also
/// saves the next offset, so an update's effects and its confirmation are committed together; the
/// offset sent to Telegram is always the committed one, so after a crash Telegram redelivers exactly
/// what was not committed. Replies are queued in the outbox inside the same transaction.
/// </summary>
public sealed partial class TelegramPoller(
    TelegramConnection connection,
    ChatService chat,
    ICheckpointStore checkpoints,
    IOutbox outbox,
    OutboxSignal signal,
    TelegramInlineAnswers inlineAnswers,
    IOptions<TelegramOptions> options,
    TimeProvider clock,
    ILogger<TelegramPoller> logger) : BackgroundService
{
    /// <summary>Named explicitly: an empty list would mean "all but reactions", and leaving it out keeps the server's old choice.</summary>
    public static readonly IReadOnlyList<string> AllowedUpdates = ["message", "callback_query", "message_reaction", "message_reaction_count", "inline_query"];

    /// <summary>1, 2, 4 ... seconds up to 30, with jitter, between failed polls.</summary>
    private static readonly Backoff Restart = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    private readonly TelegramOptions _options = options.Value;
    private readonly HashSet<string> _unsupportedLogged = new(StringComparer.Ordinal);

    /// <summary>Connected while getMe and the polls succeed (what /health/ready asks of a Telegram bot).</summary>
    public ConnectionState Connection { get; } = new("telegram");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var me = await StartSessionAsync(stoppingToken).ConfigureAwait(false);
            if (me is null) return;
            await PollAsync(me, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (UnauthorizedException)
        {
            Connection.MarkDisconnected("Telegram refused the token (401)");
            LogUnauthorized(logger);
        }
        finally
        {
            if (Connection.Connected) Connection.MarkDisconnected("the poller stopped");
        }
    }

    /// <summary>getMe (with retries while Telegram is unreachable), then deleteWebhook and setMyCommands.</summary>
    private async Task<User?> StartSessionAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        User me;
        while (true)
        {
            try
            {
                me = await connection.Bot.GetMe(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (ApiRequestException exception) when (exception.ErrorCode == 401)
            {
                throw new UnauthorizedException();
            }
            catch (Exception exception) when (exception is RequestException or HttpRequestException)
            {
                failures++;
                Connection.MarkDisconnected("getMe failed: " + connection.Describe(exception));
                LogStartFailed(logger, connection.Describe(exception), failures);
                await DelayAsync(Restart.Delay(failures), cancellationToken).ConfigureAwait(false);
            }
        }
        LogConnected(logger, me.Username ?? me.FirstName, me.Id);
        Connection.MarkConnected();

        await OptionalAsync("deleteWebhook", ct => connection.Bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        await OptionalAsync("setMyCommands", ct => connection.Bot.SetMyCommands(BotCommands.All, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return me;
    }

    private async Task PollAsync(User me, CancellationToken cancellationToken)
    {
        var parser = new TelegramUpdateParser(me.Username ?? "", clock);
        var checkpoint = $"telegram:{me.Id}";
        var stored = await checkpoints.ReadAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        var offset = long.TryParse(stored, NumberStyles.Integer, CultureInfo.InvariantCulture, out var saved) ? saved : 0;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            JsonElement[] batch;
            try
            {
                batch = await connection.GetUpdatesAsync(offset, _options.BatchLimit, _options.PollTimeoutSeconds, AllowedUpdates, cancellationToken).ConfigureAwait(false);
                Connection.MarkConnected();
                Telemetry.TelegramPolled();
            }
            catch (ApiRequestException exception) when (exception.ErrorCode == 401)
            {
                throw new UnauthorizedException();
            }
            catch (ApiRequestException exception) when (exception.ErrorCode == 429)
            {
                var wait = TimeSpan.FromSeconds(exception.Parameters?.RetryAfter ?? 5);
                LogPollThrottled(logger, wait.TotalSeconds);
                await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (ApiRequestException exception) when (exception.ErrorCode == 409)
            {
                // A webhook is set, or another process polls with this token. Deleting the webhook fixes the
                // first; the second needs a person, so say so, and keep trying at a slow pace.
                failures++;
                Connection.MarkDisconnected("another poller or a webhook holds this bot (409)");
                LogConflict(logger, connection.Redact(exception.Message));
                await OptionalAsync("deleteWebhook", ct => connection.Bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                await DelayAsync(Restart.Delay(failures), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception exception) when (exception is RequestException or HttpRequestException or JsonException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // A dropped connection, an HTML error page, a truncated body, a poll that outlived the HTTP
                // timeout: nothing was confirmed, so the same updates come again on the next poll.
                failures++;
                Connection.MarkDisconnected("getUpdates failed: " + connection.Describe(exception));
                LogPollFailed(logger, connection.Describe(exception), failures);
                await DelayAsync(Restart.Delay(failures), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (batch.Length == 0)
            {
                failures = 0;
                continue;
            }
            try
            {
                // A stop while the batch is in hand finishes it: its updates commit with their offset.
                using var inHand = new BatchInHand(cancellationToken);
                offset = await HandleBatchAsync(parser, checkpoint, offset, batch, inHand.Token).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The commit failed (the database is locked or full): nothing of the batch counts, the offset
                // stays, and Telegram hands the same updates over again.
                failures++;
                LogBatchFailed(logger, exception, batch.Length, failures);
                await DelayAsync(Restart.Delay(failures), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Handles a batch in one transaction with its new offset; then answers the buttons and wakes the sender.</summary>
    private async Task<long> HandleBatchAsync(TelegramUpdateParser parser, string checkpoint, long offset, JsonElement[] batch, CancellationToken cancellationToken)
    {
        var next = offset;
        foreach (var raw in batch)
        {
            if (TelegramUpdateParser.IdOf(raw) is { } id && id + 1 > next) next = id + 1;
        }
        if (next == offset)
        {
            // Not one update id in the batch: there is no offset that moves past it, so go around again.
            throw new InvalidDataException("a getUpdates batch without update ids");
        }

        var parsed = batch.Select(parser.Parse).ToList();
        // Network work (a /link fetch) before the transaction, which holds the write lock while it lasts.
        foreach (var command in parsed.OfType<InboundCommand>()) await chat.PrepareAsync(command.Event, cancellationToken).ConfigureAwait(false);
        // Inline queries are answered from memory at once (a person is typing), outside the transaction.
        foreach (var query in parsed.OfType<InboundInlineQuery>()) await inlineAnswers.AnswerAsync(query, cancellationToken).ConfigureAwait(false);

        var answers = await checkpoints.CommitAsync(checkpoint, async (unit, ct) =>
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
            return (answers, next.ToString(CultureInfo.InvariantCulture));
        }, cancellationToken).ConfigureAwait(false);

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
        return next;
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

    /// <summary>A call Telegram may not offer (a local Bot API server, a stand-in): warn once, carry on.</summary>
    private async Task OptionalAsync(string method, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call(cancellationToken).ConfigureAwait(false);
        }
        catch (ApiRequestException exception) when (exception.ErrorCode == 401)
        {
            throw new UnauthorizedException();
        }
        catch (Exception exception) when (exception is ApiRequestException or RequestException or HttpRequestException)
        {
            if (_unsupportedLogged.Add(method)) LogOptionalFailed(logger, method, connection.Describe(exception));
        }
    }

    /// <summary>answerCallbackQuery takes at most 200 characters.</summary>
    private static string Toast(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 199), "…");

    private Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken) => Task.Delay(wait, clock, cancellationToken);

    /// <summary>Thrown on 401: the token is wrong or revoked, and no retry will fix that.</summary>
    private sealed class UnauthorizedException : Exception;

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram: connected as @{Username} (bot id {BotId}); polling for updates")]
    private static partial void LogConnected(ILogger logger, string username, long botId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Telegram rejected the bot token (401 Unauthorized). Check Telegram:Token (or the Telegram__Token environment variable). The Telegram bot has stopped; the rest of SpotMirror keeps running.")]
    private static partial void LogUnauthorized(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: cannot reach the Bot API yet ({Error}); attempt {Attempt}, trying again")]
    private static partial void LogStartFailed(ILogger logger, string error, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: {Method} failed ({Error}); carrying on without it")]
    private static partial void LogOptionalFailed(ILogger logger, string method, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: getUpdates failed ({Error}); attempt {Attempt}, nothing was confirmed, polling again after a pause")]
    private static partial void LogPollFailed(ILogger logger, string error, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: getUpdates throttled; waiting {Seconds} s as asked")]
    private static partial void LogPollThrottled(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram: getUpdates conflict ({Description}). Is another SpotMirror polling with this token? Deleting any webhook and trying again.")]
    private static partial void LogConflict(ILogger logger, string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram: a batch of {Count} updates could not be committed (attempt {Attempt}); it will be fetched and handled again")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram: handling update {UpdateId} failed; it is skipped")]
    private static partial void LogUpdateFailed(ILogger logger, Exception exception, long updateId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: update {UpdateId} could not be read and is skipped: {Why}")]
    private static partial void LogUnreadable(ILogger logger, long updateId, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram: update {UpdateId} ignored: {Why}")]
    private static partial void LogIgnored(ILogger logger, long updateId, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram: a button answer was refused ({Error})")]
    private static partial void LogAnswerFailed(ILogger logger, string error);
}
