using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Testing.Telegram;

/// <summary>
/// A Telegram Bot API server on loopback that speaks the wire protocol Telegram.Bot 22.10 uses:
/// script updates and faults, then assert on what the bot sent.
/// </summary>
public sealed class FakeTelegramServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Recorder _recorder = new();
    private readonly FaultPlan _faults = new();
    private readonly UpdateQueue _updates = new();
    private readonly BotApiEndpoint _endpoint;
    private readonly UpdateScripts _scripts;
    private readonly WebhookPush _webhook;
    private int _disposed;

    private FakeTelegramServer(WebApplication app, FakeTelegramOptions options)
    {
        _app = app;
        Token = options.Token;
        BotUsername = options.BotUsername;
        BotUserId = BotIdOf(options.Token);
        var chats = new ChatBook(options, BotUserId);
        _webhook = new WebhookPush(_updates, _recorder.WebhookDeliveries, options.Clock);
        _endpoint = new BotApiEndpoint(options.Token, _recorder, _faults, _updates, chats, _webhook);
        _scripts = new UpdateScripts(chats, _updates);
    }

    /// <summary>"http://127.0.0.1:PORT", for <c>TelegramBotClientOptions.baseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public string Token { get; }

    /// <summary>The digits of the token before ':', which is how Telegram numbers bots.</summary>
    public long BotUserId { get; }

    public string BotUsername { get; }

    public IReadOnlyList<TelegramRequest> Requests => _recorder.Requests.Snapshot();

    /// <summary>Accepted sendMessage and editMessageText calls, in order.</summary>
    public IReadOnlyList<SentTelegramMessage> SentMessages => _recorder.SentMessages.Snapshot();

    /// <summary>Every sendPhoto the fake accepted, with the uploaded bytes.</summary>
    public IReadOnlyList<SentTelegramPhoto> SentPhotos => _recorder.SentPhotos.Snapshot();

    public IReadOnlyList<CallbackAnswer> CallbackAnswers => _recorder.CallbackAnswers.Snapshot();

    /// <summary>Accepted answerInlineQuery calls, in order.</summary>
    public IReadOnlyList<InlineAnswer> InlineAnswers => _recorder.InlineAnswers.Snapshot();

    /// <summary>Reactions the bot set with setMessageReaction.</summary>
    public IReadOnlyList<BotReaction> Reactions => _recorder.Reactions.Snapshot();

    /// <summary>Accepted setMyCommands calls, in order.</summary>
    public IReadOnlyList<CommandSet> Commands => _recorder.Commands.Snapshot();

    /// <summary>The allowed_updates of the last successful getUpdates that sent one; null if none did.</summary>
    public IReadOnlyList<string>? LastAllowedUpdates => _updates.LastAllowedUpdates;

    /// <summary>The highest offset a successful getUpdates sent: every update below it is confirmed and gone.</summary>
    public long ConfirmedOffset => _updates.ConfirmedOffset;

    /// <summary>getUpdates requests with the right token, faulted ones included.</summary>
    public int GetUpdatesCalls => _endpoint.GetUpdatesCalls;

    /// <summary>getUpdates calls a newer one ended with 409 ("terminated by other getUpdates request"): two pollers at once.</summary>
    public int SupersededPolls => _endpoint.SupersededPolls;

    public static Task<FakeTelegramServer> StartAsync(string token = "123456:TEST", CancellationToken ct = default) =>
        StartAsync(new FakeTelegramOptions { Token = token }, ct);

    public static async Task<FakeTelegramServer> StartAsync(FakeTelegramOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        try
        {
            var server = new FakeTelegramServer(app, options);
            app.Run(context => server._endpoint.HandleAsync(context, server._stopping.Token));
            await app.StartAsync(ct).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel reported no listening address.");
            server.BaseUrl = addresses.Addresses.Single().TrimEnd('/');
            return server;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A user writes <paramref name="text"/>; a leading '/' gets a bot_command entity.</summary>
    /// <param name="chatType">"private", "group", "supergroup" or "channel".</param>
    /// <returns>The update_id.</returns>
    public long SendText(long chatId, string chatType, long userId, string firstName, string text) =>
        _scripts.SendText(chatId, chatType, userId, firstName, text);

    /// <summary>A user presses an inline button of the bot's message <paramref name="messageId"/>.</summary>
    /// <returns>The update_id and the callback query id, which answerCallbackQuery accepts once within the configured age.</returns>
    public PressedButton PressButton(long chatId, string chatType, long messageId, long userId, string firstName, string data) =>
        _scripts.PressButton(chatId, chatType, messageId, userId, firstName, data);

    /// <summary>A user types "@bot <paramref name="query"/>" in a chat's message field (inline mode).</summary>
    /// <returns>The update_id and the inline query id, which answerInlineQuery accepts once within the configured age.</returns>
    public TypedInlineQuery SendInlineQuery(long userId, string firstName, string query) =>
        _scripts.InlineQuery(userId, firstName, query);

    /// <summary>A reaction change with the complete old and new lists; a null <paramref name="userId"/> is an anonymous admin (actor_chat).</summary>
    /// <returns>The update_id.</returns>
    public long React(long chatId, string chatType, long messageId, long? userId, string? firstName, string[] oldEmoji, string[] newEmoji) =>
        _scripts.React(chatId, chatType, messageId, userId, firstName, oldEmoji, newEmoji);

    /// <summary>Anonymous reaction totals, as channels report them.</summary>
    /// <returns>The update_id.</returns>
    public long ReactionCount(long chatId, long messageId, (string Emoji, int Count)[] reactions) =>
        _scripts.ReactionCount(chatId, messageId, reactions);

    /// <summary>
    /// Queues an update as raw text, returned verbatim in getUpdates results; "{id}" in the text
    /// is replaced by the assigned update_id. Text without "{id}" is still queued under that id.
    /// </summary>
    /// <returns>The update_id.</returns>
    public long EnqueueRaw(string json) => _scripts.EnqueueRaw(json);

    /// <summary>Plays <paramref name="fault"/> on the next <paramref name="times"/> calls of <paramref name="method"/>.</summary>
    public void FailNext(string method, TelegramFault fault, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        if (!_endpoint.Knows(method))
        {
            throw new ArgumentException($"The fake does not implement \"{method}\".", nameof(method));
        }

        _faults.Add(method, fault, times);
    }

    public Task<SentTelegramMessage> WaitForMessageAsync(Func<SentTelegramMessage, bool> predicate, TimeSpan timeout) =>
        _recorder.SentMessages.WaitForAsync(
            predicate,
            timeout,
            seen => $"No sent message matched within {timeout.TotalSeconds:0.##} s. {Describe(seen)}");

    /// <summary>Waits until at least <paramref name="count"/> messages were sent or edited; returns all of them.</summary>
    public Task<IReadOnlyList<SentTelegramMessage>> WaitForMessagesAsync(int count, TimeSpan timeout) =>
        _recorder.SentMessages.WaitForCountAsync(
            count,
            timeout,
            seen => $"Expected {count} sent messages within {timeout.TotalSeconds:0.##} s. {Describe(seen)}");

    public Task<SentTelegramPhoto> WaitForPhotoAsync(Func<SentTelegramPhoto, bool> predicate, TimeSpan timeout) =>
        _recorder.SentPhotos.WaitForAsync(
            predicate,
            timeout,
            seen => $"No sent photo matched within {timeout.TotalSeconds:0.##} s. Seen {seen.Count}; sendPhoto requests: "
                    + $"{Requests.Count(r => r.Method.Equals("sendPhoto", StringComparison.OrdinalIgnoreCase))}.");

    public Task<CallbackAnswer> WaitForCallbackAnswerAsync(string callbackId, TimeSpan timeout) =>
        _recorder.CallbackAnswers.WaitForAsync(
            answer => answer.CallbackQueryId == callbackId,
            timeout,
            seen => $"Callback query {callbackId} was not answered within {timeout.TotalSeconds:0.##} s. "
                    + $"Answered: [{string.Join(", ", seen.Select(a => a.CallbackQueryId))}]; "
                    + $"answerCallbackQuery requests: {Requests.Count(r => r.Method.Equals("answerCallbackQuery", StringComparison.OrdinalIgnoreCase))}.");

    public Task<InlineAnswer> WaitForInlineAnswerAsync(string inlineQueryId, TimeSpan timeout) =>
        _recorder.InlineAnswers.WaitForAsync(
            answer => answer.InlineQueryId == inlineQueryId,
            timeout,
            seen => $"Inline query {inlineQueryId} was not answered within {timeout.TotalSeconds:0.##} s. "
                    + $"Answered: [{string.Join(", ", seen.Select(a => a.InlineQueryId))}]; "
                    + $"answerInlineQuery requests: {Requests.Count(r => r.Method.Equals("answerInlineQuery", StringComparison.OrdinalIgnoreCase))}.");

    /// <summary>Waits until a successful getUpdates carried an offset above <paramref name="updateId"/>.</summary>
    public Task WaitForConfirmedAsync(long updateId, TimeSpan timeout) =>
        _updates.Confirmed.WaitUntilAsync(
            () => (ConfirmedOffset > updateId, true),
            timeout,
            () => $"Update {updateId} was not confirmed within {timeout.TotalSeconds:0.##} s: "
                  + $"confirmed offset {ConfirmedOffset}, getUpdates calls {GetUpdatesCalls}.");

    /// <summary>The message_id the fake gave the message of a <see cref="SendText"/> update (replies point at it).</summary>
    public long MessageIdOf(long updateId) => _scripts.MessageIdOf(updateId);

    /// <summary>Waits until a successful getUpdates handed the client every update up to <paramref name="updateId"/>.</summary>
    public Task WaitForDeliveredAsync(long updateId, TimeSpan timeout) =>
        _updates.Delivered.WaitUntilAsync(
            () => (_updates.DeliveredUpTo >= updateId, true),
            timeout,
            () => $"Update {updateId} was not delivered within {timeout.TotalSeconds:0.##} s: delivered up to {_updates.DeliveredUpTo}, getUpdates calls {GetUpdatesCalls}.");

    /// <summary>The webhook setWebhook set (URL, secret, allowed_updates); null while updates are polled.</summary>
    public WebhookTarget? Webhook => _webhook.Target;

    /// <summary>Every POST of an update to the webhook, with the status it got (0: no answer) and which try it was.</summary>
    public IReadOnlyList<WebhookDelivery> WebhookDeliveries => _recorder.WebhookDeliveries.Snapshot();

    /// <summary>Delivers an update already answered through the webhook once more, under the same update_id (Telegram never saw the 200).</summary>
    public void RedeliverThroughWebhook(long updateId) => _webhook.Redeliver(updateId);

    /// <summary>Waits until a webhook delivery matches, e.g. the first 2xx for an update.</summary>
    public Task<WebhookDelivery> WaitForWebhookDeliveryAsync(Func<WebhookDelivery, bool> predicate, TimeSpan timeout) =>
        _recorder.WebhookDeliveries.WaitForAsync(
            predicate,
            timeout,
            seen => $"No webhook delivery matched within {timeout.TotalSeconds:0.##} s; webhook {_webhook.Target?.Url ?? "not set"}. Seen {seen.Count}: "
                    + $"[{string.Join(", ", seen.TakeLast(20).Select(d => $"{d.UpdateId}→{d.Status} (try {d.Attempt})"))}]");

    /// <summary>Waits for a request, e.g. the next getUpdates, without sleeping.</summary>
    public Task<TelegramRequest> WaitForRequestAsync(Func<TelegramRequest, bool> predicate, TimeSpan timeout) =>
        _recorder.Requests.WaitForAsync(
            predicate,
            timeout,
            seen => $"No request matched within {timeout.TotalSeconds:0.##} s. Seen {seen.Count}: "
                    + $"[{string.Join(", ", seen.TakeLast(20).Select(r => r.Method))}]");

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Held polls and delays end first, so stopping Kestrel does not wait for them.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _webhook.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static long BotIdOf(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon is >= 1 and <= 16 && long.TryParse(token.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ArgumentException("A Telegram token looks like \"123456:secret\".", nameof(token));
    }

    private static string Describe(IReadOnlyList<SentTelegramMessage> seen) =>
        seen.Count == 0
            ? "Nothing was sent."
            : $"Seen {seen.Count}: " + string.Join("; ", seen.TakeLast(20).Select(m =>
                $"chat {m.ChatId} #{m.MessageId}{(m.Edited ? " (edit)" : string.Empty)} \"{Shorten(m.PlainText)}\""));

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
