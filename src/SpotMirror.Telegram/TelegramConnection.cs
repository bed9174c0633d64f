using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using SpotMirror.Core;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace SpotMirror.Telegram;

/// <summary>
/// The one TelegramBotClient of the process, over our own HttpClient (no request logging, so the token
/// that Telegram puts in every URL never reaches a log). Telegram.Bot's own 429 retry is off, and no
/// retry handler sits on the HttpClient: a repeated sendMessage would post twice, so the sender retries
/// through the outbox (per chat, after Telegram's retry_after) and the poller re-polls from its offset.
/// </summary>
public sealed class TelegramConnection : IDisposable
{
    private readonly HttpClient _http;
    private readonly SecretRedactor _redactor;

    public TelegramConnection(IOptions<TelegramOptions> options)
    {
        var settings = options.Value;
        _redactor = new SecretRedactor(settings.Token);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            // Long enough for a long poll plus a slow answer; a poll that outlives it is a failed poll.
            Timeout = TimeSpan.FromSeconds(settings.PollTimeoutSeconds + 15),
        };
        Bot = new TelegramBotClient(new TelegramBotClientOptions(settings.Token ?? "", settings.BaseUrl) { RetryThreshold = 0 }, _http);
    }

    public TelegramBotClient Bot { get; }

    /// <summary>
    /// getUpdates with the updates left as raw JSON, so each is read on its own (one unknown reaction
    /// type must not fail the whole batch).
    /// </summary>
    public Task<JsonElement[]> GetUpdatesAsync(long offset, int limit, int timeoutSeconds, IReadOnlyList<string> allowedUpdates, CancellationToken cancellationToken) =>
        Bot.SendRequest(new RawGetUpdates { Offset = offset, Limit = limit, Timeout = timeoutSeconds, AllowedUpdates = allowedUpdates }, cancellationToken);

    /// <summary>setWebhook with allowed_updates named as strings, exactly as getUpdates gets them.</summary>
    public Task<bool> SetWebhookAsync(string url, string secretToken, IReadOnlyList<string> allowedUpdates, CancellationToken cancellationToken) =>
        Bot.SendRequest(new RawSetWebhook { Url = url, SecretToken = secretToken, AllowedUpdates = allowedUpdates }, cancellationToken);

    /// <summary>
    /// sendMessage with the sent message left as raw JSON, its message_id read on its own: an answer that says
    /// ok must never be taken for a failure (and the reply sent again) because some other field of the message
    /// is not what Telegram.Bot's types expect. Null when the answer carries no readable message_id.
    /// </summary>
    public async Task<long?> SendMessageAsync(
        long chatId, string text, ParseMode? parseMode, ReplyParameters? replyTo, InlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        var sent = await Bot.SendRequest(new RawSendMessage
        {
            ChatId = chatId, Text = text, ParseMode = parseMode, ReplyParameters = replyTo, ReplyMarkup = keyboard,
            LinkPreviewOptions = new LinkPreviewOptions { IsDisabled = true },
        }, cancellationToken).ConfigureAwait(false);
        return MessageIdOf(sent);
    }

    /// <summary>message_id as a number or a numeric string; anything else is no id.</summary>
    public static long? MessageIdOf(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("message_id", out var id)) return null;
        if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number)) return number;
        if (id.ValueKind == JsonValueKind.String && long.TryParse(id.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)) return parsed;
        return null;
    }

    /// <summary>An error as one line for a log: the type and message of it and its causes, with the token blotted out.</summary>
    public string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var what = e is ApiRequestException api ? $"{api.ErrorCode} {api.Message}" : e.Message;
            parts.Add($"{e.GetType().Name}: {what}");
        }
        return Redact(string.Join(" <- ", parts));
    }

    /// <summary>Text from Telegram (or from a proxy in between) with the token blotted out in every encoding.</summary>
    public string Redact(string? text) => _redactor.Redact(text);

    public void Dispose() => _http.Dispose();

    private sealed class RawSendMessage() : RequestBase<JsonElement>("sendMessage")
    {
        [JsonPropertyName("chat_id")]
        public long ChatId { get; init; }

        [JsonPropertyName("text")]
        public string Text { get; init; } = "";

        [JsonPropertyName("parse_mode")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public ParseMode? ParseMode { get; init; }

        [JsonPropertyName("reply_parameters")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public ReplyParameters? ReplyParameters { get; init; }

        [JsonPropertyName("reply_markup")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public InlineKeyboardMarkup? ReplyMarkup { get; init; }

        [JsonPropertyName("link_preview_options")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public LinkPreviewOptions? LinkPreviewOptions { get; init; }
    }

    private sealed class RawSetWebhook() : RequestBase<bool>("setWebhook")
    {
        [JsonPropertyName("url")]
        public string Url { get; init; } = "";

        [JsonPropertyName("secret_token")]
        public string SecretToken { get; init; } = "";

        [JsonPropertyName("allowed_updates")]
        public IReadOnlyList<string> AllowedUpdates { get; init; } = [];

        [JsonPropertyName("drop_pending_updates")]
        public bool DropPendingUpdates { get; init; }
    }

    private sealed class RawGetUpdates() : RequestBase<JsonElement[]>("getUpdates")
    {
        [JsonPropertyName("offset")]
        public long Offset { get; init; }

        [JsonPropertyName("limit")]
        public int Limit { get; init; }

        [JsonPropertyName("timeout")]
        public int Timeout { get; init; }

        [JsonPropertyName("allowed_updates")]
        public IReadOnlyList<string> AllowedUpdates { get; init; } = [];
    }
}
