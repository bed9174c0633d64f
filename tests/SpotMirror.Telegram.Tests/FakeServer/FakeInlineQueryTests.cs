using SpotMirror.Testing.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.InlineQueryResults;

namespace SpotMirror.Telegram.Tests.FakeServer;

/// <summary>The fake's inline mode, checked with the real Telegram.Bot client: inline_query updates and answerInlineQuery's rules.</summary>
public sealed class FakeInlineQueryTests
{
    private const long UserId = 42;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly UpdateType[] InlineOnly = [UpdateType.InlineQuery];

    private static TelegramBotClient Bot(FakeTelegramServer fake, HttpClient http) =>
        new(new TelegramBotClientOptions(fake.Token, baseUrl: fake.BaseUrl) { RetryThreshold = 0 }, http);

    private static InlineQueryResultArticle Article(string id, string title) =>
        new(id, title, new InputTextMessageContent($"/similar {title}"));

    [Fact]
    public async Task An_inline_query_arrives_as_typed_and_its_answer_is_recorded()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);
        var typed = fake.SendInlineQuery(UserId, "Ann", "nightc");

        var query = Assert.Single(await bot.GetUpdates(timeout: 0, allowedUpdates: InlineOnly)).InlineQuery!;
        await bot.AnswerInlineQuery(query.Id, [Article("s0", "Nightcall - Kavinsky")], cacheTime: 300);

        Assert.Equal(typed.InlineQueryId, query.Id);
        Assert.Equal("nightc", query.Query);
        Assert.Equal(UserId, query.From.Id);
        var answer = await fake.WaitForInlineAnswerAsync(typed.InlineQueryId, Wait);
        var article = Assert.Single(answer.Results);
        Assert.Equal(("s0", "Nightcall - Kavinsky", "/similar Nightcall - Kavinsky"), (article.Id, article.Title, article.MessageText));
        Assert.Equal(300L, answer.CacheTime);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "51 results", "RESULTS_TOO_MUCH" },
        { "an id of 65 bytes", "RESULT_ID_INVALID" },
        { "two results with one id", "RESULT_ID_DUPLICATE" },
        { "an empty title", "RESULT_TITLE_EMPTY" },
        { "an empty text to send", "MESSAGE_EMPTY" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task An_answer_telegram_would_refuse_is_refused(string what, string error)
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var typed = fake.SendInlineQuery(UserId, "Ann", "night");
        InlineQueryResult[] results = what switch
        {
            "51 results" => [.. Enumerable.Range(0, 51).Select(i => Article($"s{i}", $"Track {i}"))],
            "an id of 65 bytes" => [Article(new string('x', 65), "Nightcall - Kavinsky")],
            "two results with one id" => [Article("s0", "Nightcall - Kavinsky"), Article("s0", "Kavinsky")],
            "an empty title" => [Article("s0", " ")],
            _ => [new InlineQueryResultArticle("s0", "Kavinsky", new InputTextMessageContent(""))],
        };

        var refused = await Assert.ThrowsAsync<ApiRequestException>(() => Bot(fake, http).AnswerInlineQuery(typed.InlineQueryId, results));

        Assert.Equal(400, refused.ErrorCode);
        Assert.Equal($"Bad Request: {error}", refused.Message);
        Assert.Empty(fake.InlineAnswers);
    }

    [Fact]
    public async Task An_inline_query_is_answered_once()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);
        var typed = fake.SendInlineQuery(UserId, "Ann", "night");

        await bot.AnswerInlineQuery(typed.InlineQueryId, [Article("s0", "Nightcall - Kavinsky")]);
        var twice = await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerInlineQuery(typed.InlineQueryId, []));

        Assert.Equal("Bad Request: query is too old and response timeout expired or query ID is invalid", twice.Message);
        Assert.Single(fake.InlineAnswers);
    }
}
