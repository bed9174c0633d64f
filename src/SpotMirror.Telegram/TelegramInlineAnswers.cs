using Microsoft.Extensions.Logging;
using SpotMirror.Chat;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.InlineQueryResults;

namespace SpotMirror.Telegram;

/// <summary>
/// Inline mode: "@bot nightc" lists catalogue tracks and artists that match; choosing one sends
/// "/similar Nightcall - Kavinsky" into the chat as the person, which the bot then answers like any command.
/// </summary>
public sealed partial class TelegramInlineAnswers(TelegramConnection connection, ChatService chat, ILogger<TelegramInlineAnswers> logger)
{
    /// <summary>Telegram takes at most 50 results; 25 matches Discord's autocomplete.</summary>
    public const int MaxResults = 25;

    /// <summary>Telegram caches answers per query text; the catalogue changes rarely, so a few minutes is safe.</summary>
    private const int CacheSeconds = 300;

    public static IReadOnlyList<InlineQueryResultArticle> Results(IReadOnlyList<string> names) =>
        [.. names.Take(MaxResults).Select((name, i) => new InlineQueryResultArticle(
            $"s{i}", name, new InputTextMessageContent($"/similar {name}"))
        {
            Description = "Tracks like this one",
        })];

    public async Task AnswerAsync(InboundInlineQuery query, CancellationToken cancellationToken)
    {
        try
        {
            var names = query.Text.Trim().Length == 0 ? [] : chat.CompleteTracksAndArtists(query.Text);
            await connection.Bot.AnswerInlineQuery(query.QueryId, Results(names), cacheTime: CacheSeconds, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ApiRequestException or RequestException or HttpRequestException)
        {
            // Too late (the person typed on) or inline mode is off for this bot: nothing is lost.
            LogAnswerFailed(logger, connection.Describe(exception));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram: an inline query answer was refused ({Error})")]
    private static partial void LogAnswerFailed(ILogger logger, string error);
}
