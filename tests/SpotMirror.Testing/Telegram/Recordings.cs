using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>One HTTP request as it reached the fake; the token is not kept.</summary>
/// <param name="Body">The raw body text, empty when the client sent none (getMe).</param>
public sealed record TelegramRequest(
    string Method,
    string Body,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset ReceivedAt);

/// <summary>A sendMessage or editMessageText the fake accepted.</summary>
/// <param name="Text">The text exactly as the bot sent it, markup included.</param>
/// <param name="PlainText">The text after entity parsing, as users would read it.</param>
/// <param name="ParseMode">The parse_mode as sent ("Html" from Telegram.Bot), or null.</param>
/// <param name="ReplyMarkup">The reply_markup as sent, or null.</param>
/// <param name="Edited">True for editMessageText; <paramref name="MessageId"/> is then the edited message.</param>
public sealed record SentTelegramMessage(
    long ChatId,
    long MessageId,
    string Text,
    string PlainText,
    string? ParseMode,
    JsonNode? ReplyMarkup,
    long? ReplyToMessageId,
    bool Edited,
    DateTimeOffset At);

/// <summary>An accepted answerCallbackQuery.</summary>
public sealed record CallbackAnswer(string CallbackQueryId, string? Text, bool ShowAlert, string? Url, DateTimeOffset At);

/// <summary>An accepted answerInlineQuery: the results as the person would see them to choose from.</summary>
public sealed record InlineAnswer(string InlineQueryId, IReadOnlyList<InlineArticle> Results, long? CacheTime, DateTimeOffset At);

/// <summary>One InlineQueryResultArticle: choosing it sends <paramref name="MessageText"/> into the chat as the person.</summary>
public sealed record InlineArticle(string Id, string Title, string MessageText, string? Description);

/// <summary>A scripted inline query ("@bot text"): the update that carries it and the id answerInlineQuery must name.</summary>
public sealed record TypedInlineQuery(long UpdateId, string InlineQueryId);

/// <summary>An accepted setMessageReaction; an empty <paramref name="Emoji"/> list clears the bot's reaction.</summary>
public sealed record BotReaction(long ChatId, long MessageId, IReadOnlyList<string> Emoji, bool IsBig);

/// <summary>One entry of a setMyCommands call.</summary>
public sealed record BotCommandEntry(string Command, string Description);

/// <summary>An accepted setMyCommands call.</summary>
/// <param name="Scope">The scope object as sent, or null for the default scope.</param>
public sealed record CommandSet(IReadOnlyList<BotCommandEntry> Commands, JsonNode? Scope, string? LanguageCode);

/// <summary>A scripted button press: the update that carries it and the callback query id to answer.</summary>
public sealed record PressedButton(long UpdateId, string CallbackQueryId);

/// <summary>How the fake behaves; the defaults suit most tests.</summary>
public sealed record FakeTelegramOptions
{
    /// <summary>The bot token; the digits before ':' are the bot's user id, as on Telegram.</summary>
    public string Token { get; init; } = "123456:TEST";

    public string BotUsername { get; init; } = "SpotMirrorTestBot";

    public string BotFirstName { get; init; } = "SpotMirror";

    /// <summary>How long after a press answerCallbackQuery is still accepted.</summary>
    public TimeSpan CallbackQueryMaxAge { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Stamps dates and judges callback query age. Long-poll holds and Delay faults use real time,
    /// because the client's HTTP timeout they race against is real.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>An accepted sendPhoto: the uploaded bytes exactly as they arrived.</summary>
public sealed record SentTelegramPhoto(
    long ChatId,
    long MessageId,
    IReadOnlyList<byte> Bytes,
    string FileName,
    string Caption,
    long? ReplyToMessageId,
    DateTimeOffset At);
