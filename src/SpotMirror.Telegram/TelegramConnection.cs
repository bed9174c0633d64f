using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;

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
    private readonly string _token;

    public TelegramConnection(IOptions<TelegramOptions> options)
    {
        var settings = options.Value;
        _token = settings.Token ?? "";
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            // Long enough for a long poll plus a slow answer; a poll that outlives it is a failed poll.
            Timeout = TimeSpan.FromSeconds(settings.PollTimeoutSeconds + 15),
        };
        Bot = new TelegramBotClient(new TelegramBotClientOptions(_token, settings.BaseUrl) { RetryThreshold = 0 }, _http);
    }

    public TelegramBotClient Bot { get; }

    /// <summary>
    /// getUpdates with the updates left as raw JSON, so each is read on its own (one unknown reaction
    /// type must not fail the whole batch).
    /// </summary>
    public Task<JsonElement[]> GetUpdatesAsync(long offset, int limit, int timeoutSeconds, IReadOnlyList<string> allowedUpdates, CancellationToken cancellationToken) =>
        Bot.SendRequest(new RawGetUpdates { Offset = offset, Limit = limit, Timeout = timeoutSeconds, AllowedUpdates = allowedUpdates }, cancellationToken);

    /// <summary>An error as one line for a log: the type and message of it and its causes, with the token blotted out.</summary>
    public string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var what = e is ApiRequestException api ? $"{api.ErrorCode} {api.Message}" : e.Message;
            parts.Add($"{e.GetType().Name}: {what}");
        }
        var text = string.Join(" <- ", parts);
        return _token.Length == 0 ? text : text.Replace(_token, "***", StringComparison.Ordinal);
    }

    public void Dispose() => _http.Dispose();

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
