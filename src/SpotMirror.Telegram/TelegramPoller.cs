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
/// what was not committed. Replies are queued in the outbox inside the same transaction. With several workers
/// only the holder of the bot's poll lease polls (<see cref="PollLeadership"/>); each time it takes the lease
/// it reads the offset afresh from the committed checkpoint, which is how the offset passes between workers.
/// </summary>
public sealed partial class TelegramPoller(
    TelegramConnection connection,
    TelegramUpdates updates,
    TelegramIdentity identity,
    ICheckpointStore checkpoints,
    PollLeadership leadership,
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
            identity.Set(me);
            // In webhook mode updates arrive as POSTs (TelegramWebhook); there is nothing to poll.
            if (!_options.Webhook) await PollAsync(me, stoppingToken).ConfigureAwait(false);
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
        LogConnected(logger, me.Username ?? me.FirstName, me.Id, _options.Webhook ? "receiving updates through the webhook" : "polling for updates");
        Connection.MarkConnected();

        if (_options.Webhook) await SetWebhookAsync(cancellationToken).ConfigureAwait(false);
        else await OptionalAsync("deleteWebhook", ct => connection.Bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        await OptionalAsync("setMyCommands", ct => connection.Bot.SetMyCommands(BotCommands.All, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return me;
    }

    /// <summary>Polls while this worker holds the lease; standby while another does; releases the lease on the way out.</summary>
    private async Task PollAsync(User me, CancellationToken stoppingToken)
    {
        var lease = PollLeadership.LeaseName(me.Id);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await leadership.AcquireAsync(lease, stoppingToken).ConfigureAwait(false);
                using var lost = new CancellationTokenSource();
                using var keeping = new CancellationTokenSource();
                var keep = leadership.KeepAsync(lease, lost, keeping.Token);
                try
                {
                    await PollAsLeaderAsync(me, lost.Token, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    // The lease was lost: whatever batch was in hand rolled back, and the next leader fetches it again.
                }
                finally
                {
                    await keeping.CancelAsync().ConfigureAwait(false);
                    await keep.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await leadership.ReleaseAsync(lease).ConfigureAwait(false);
        }
    }

    /// <summary>The poll loop of a leader, until a stop or until <paramref name="lost"/> says the lease is gone.</summary>
    private async Task PollAsLeaderAsync(User me, CancellationToken lost, CancellationToken stoppingToken)
    {
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost);
        var cancellationToken = leading.Token;
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
                // A lost lease does not: a standby may already be fetching the same updates from the old offset.
                using var inHand = new BatchInHand(stoppingToken);
                using var stillLeading = CancellationTokenSource.CreateLinkedTokenSource(inHand.Token, lost);
                offset = await HandleBatchAsync(parser, checkpoint, offset, batch, stillLeading.Token).ConfigureAwait(false);
                failures = 0;
            }
            catch (LeaseLostException exception)
            {
                // Nothing of the batch committed; the next leader fetches it again from the committed offset.
                LogFenced(logger, exception.Message);
                return;
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

        // Fenced by the poll lease: a commit held up past the lease (a stalled database) must not land after a standby
        // took over and fetched the same updates from the committed offset.
        await updates.CommitAsync(parser, checkpoint, next.ToString(CultureInfo.InvariantCulture), batch, leadership.Fence, cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <summary>setWebhook with the secret and the poller's allowed_updates, tried until Telegram takes it: without it no update arrives.</summary>
    private async Task SetWebhookAsync(CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await connection.SetWebhookAsync(_options.WebhookUrl!, _options.WebhookSecret!, AllowedUpdates, cancellationToken).ConfigureAwait(false);
                LogWebhookSet(logger, _options.WebhookPath);
                return;
            }
            catch (ApiRequestException exception) when (exception.ErrorCode == 401)
            {
                throw new UnauthorizedException();
            }
            catch (Exception exception) when (exception is RequestException or HttpRequestException)
            {
                LogWebhookFailed(logger, connection.Describe(exception), failures);
                await DelayAsync(Restart.Delay(failures), cancellationToken).ConfigureAwait(false);
            }
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

    private Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken) => Task.Delay(wait, clock, cancellationToken);

    /// <summary>Thrown on 401: the token is wrong or revoked, and no retry will fix that.</summary>
    private sealed class UnauthorizedException : Exception;

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram: connected as @{Username} (bot id {BotId}); {Mode}")]
    private static partial void LogConnected(ILogger logger, string username, long botId, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram: webhook set; updates arrive as POSTs on {Path}")]
    private static partial void LogWebhookSet(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram: setWebhook failed ({Error}); attempt {Attempt}, no update arrives until it works; trying again")]
    private static partial void LogWebhookFailed(ILogger logger, string error, int attempt);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: {Reason}; polling stops here until this worker holds the lease again")]
    private static partial void LogFenced(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram: a batch of {Count} updates could not be committed (attempt {Attempt}); it will be fetched and handled again")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count, int attempt);
}
