using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SpotMirror.Telegram;

/// <summary>What to answer Telegram's POST with: the status decides whether Telegram tries again.</summary>
public sealed record WebhookAnswer(int Status, string Text);

/// <summary>
/// Webhook mode's receiving end (the HTTP front end serves the route, the worker wires it): the secret
/// header compared in constant time, the update committed through the same path the poller uses before
/// 200 is answered, so any worker behind a load balancer can take any update. An update Telegram sends
/// again (it never saw our 200) is handled again and changes nothing, every handler being idempotent by
/// its event id. A body that is not an update is 400 (Telegram gives up after a few tries); an update
/// whose handling fails is logged and skipped with 200, the poller's poison policy; a failed commit is 500,
/// so Telegram delivers it again.
/// </summary>
public sealed partial class TelegramWebhook(
    TelegramUpdates updates,
    TelegramIdentity identity,
    IOptions<TelegramOptions> options,
    TimeProvider clock,
    ILogger<TelegramWebhook> logger)
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Value.WebhookSecret ?? "");
    private TelegramUpdateParser? _parser;

    public async Task<WebhookAnswer> ReceiveAsync(string? secret, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (_secret.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret ?? ""), _secret))
        {
            LogRefused(logger);
            return new WebhookAnswer(401, "wrong or missing secret token");
        }
        if (identity.Me is not { } me) return new WebhookAnswer(503, "starting; send it again");
        JsonElement update;
        try
        {
            using var document = JsonDocument.Parse(body);
            update = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            LogMalformed(logger, body.Length);
            return new WebhookAnswer(400, "not JSON");
        }
        if (TelegramUpdateParser.IdOf(update) is not { } id)
        {
            LogMalformed(logger, body.Length);
            return new WebhookAnswer(400, "not an update (no update_id)");
        }
        _parser ??= new TelegramUpdateParser(me.Username ?? "", clock);
        try
        {
            // The position is the last update committed through the webhook: for people reading the table, since
            // updates may arrive out of order and nothing resumes from it.
            await updates.CommitAsync(_parser, $"telegram-webhook:{me.Id}", id.ToString(CultureInfo.InvariantCulture), [update], fence: null, cancellationToken).ConfigureAwait(false);
            return new WebhookAnswer(200, "ok");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCommitFailed(logger, exception, id);
            return new WebhookAnswer(500, "not committed; send it again");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram webhook: a POST without the right secret token was refused (401)")]
    private static partial void LogRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram webhook: a body of {Bytes} bytes is not an update; answered 400")]
    private static partial void LogMalformed(ILogger logger, int bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram webhook: update {UpdateId} could not be committed; answered 500 so Telegram sends it again")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, long updateId);
}
