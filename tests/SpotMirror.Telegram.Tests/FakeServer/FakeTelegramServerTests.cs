using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SpotMirror.Testing;
using SpotMirror.Testing.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace SpotMirror.Telegram.Tests.FakeServer;

/// <summary>The fake Telegram server, checked against the real Telegram.Bot client it stands in front of.</summary>
public sealed class FakeTelegramServerTests
{
    private const long Group = -1001234567890;
    private const long UserId = 42;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly string[] NoEmoji = [];
    private static readonly string[] ThumbsUp = ["👍"];
    private static readonly string[] Fire = ["🔥"];
    private static readonly (string, int)[] Counts = [("👍", 3)];
    private static readonly UpdateType[] EverythingWeUse =
        [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.MessageReaction, UpdateType.MessageReactionCount];

    [Fact]
    public async Task GetMe_describes_the_bot()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();

        var me = await Bot(fake, http).GetMe();

        Assert.Equal(fake.BotUserId, me.Id);
        Assert.Equal(123456, me.Id);
        Assert.True(me.IsBot);
        Assert.Equal(fake.BotUsername, me.Username);
        Assert.Equal("", Assert.Single(fake.Requests).Body);
    }

    [Fact]
    public async Task Html_message_round_trips_with_its_entities()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();

        var message = await Bot(fake, http).SendMessage(chatId: Group, text: "<b>Blue</b> &amp; <i>Lonesome</i>", parseMode: ParseMode.Html);

        Assert.Equal(1, message.MessageId);
        Assert.Equal("Blue & Lonesome", message.Text);
        Assert.Equal(Group, message.Chat.Id);
        Assert.Equal(ChatType.Supergroup, message.Chat.Type);
        Assert.Equal(fake.BotUserId, message.From!.Id);
        Assert.Equal([MessageEntityType.Bold, MessageEntityType.Italic], message.Entities!.Select(e => e.Type));
        var sent = Assert.Single(fake.SentMessages);
        Assert.Equal("<b>Blue</b> &amp; <i>Lonesome</i>", sent.Text);
        Assert.Equal("Html", sent.ParseMode);
        Assert.False(sent.Edited);
    }

    [Theory]
    [InlineData("a < b")]
    [InlineData("<b>never closed")]
    [InlineData("<b><i>crossed</b></i>")]
    [InlineData("closed twice</b>")]
    [InlineData("<br>")]
    [InlineData("<span>needs a class</span>")]
    [InlineData("no&nbsp;named entities")]
    public async Task Malformed_html_is_refused_as_telegram_does(string text)
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => Bot(fake, http).SendMessage(chatId: UserId, text: text, parseMode: ParseMode.Html));

        Assert.Equal(400, error.ErrorCode);
        Assert.StartsWith("Bad Request: can't parse entities: ", error.Message);
        Assert.Empty(fake.SentMessages);
    }

    [Theory]
    [InlineData("a &lt; b &gt; c &quot;d&quot;", "a < b > c \"d\"")]
    [InlineData("Rock & Roll", "Rock & Roll")]
    [InlineData("&#128077; &#x1F525;", "👍 🔥")]
    [InlineData("<B>caps</B> <strong>x</strong>", "caps x")]
    [InlineData("<span class=\"tg-spoiler\">s</span><tg-spoiler>t</tg-spoiler>", "st")]
    [InlineData("<blockquote expandable>q</blockquote>", "q")]
    [InlineData("<a href=\"https://x.example/?a=1&amp;b=2\">link</a>", "link")]
    [InlineData("<pre><code class=\"language-csharp\">var x;</code></pre>", "var x;")]
    public async Task Wellformed_html_is_accepted(string text, string plain)
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();

        var message = await Bot(fake, http).SendMessage(chatId: UserId, text: text, parseMode: ParseMode.Html);

        Assert.Equal(plain, message.Text);
    }

    [Fact]
    public async Task Length_is_counted_after_parsing()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);

        await bot.SendMessage(chatId: UserId, text: "<b>" + new string('x', 4096) + "</b>", parseMode: ParseMode.Html);
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(chatId: UserId, text: new string('x', 4097)));

        Assert.Equal("Bad Request: message is too long", error.Message);
    }

    [Fact]
    public async Task Callback_data_over_64_bytes_is_refused()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);

        // 32 two-byte letters fit exactly; 33 do not, although they are only 33 characters.
        await bot.SendMessage(chatId: UserId, text: "ok", replyMarkup: Keyboard(new string('é', 32)));
        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => bot.SendMessage(chatId: UserId, text: "too long", replyMarkup: Keyboard(new string('é', 33))));

        Assert.Equal(400, error.ErrorCode);
        Assert.Equal("Bad Request: BUTTON_DATA_INVALID", error.Message);
        Assert.Single(fake.SentMessages);
    }

    [Fact]
    public async Task Edit_replaces_the_text_and_an_identical_edit_is_refused()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);
        var sent = await bot.SendMessage(chatId: UserId, text: "first");

        var edited = await bot.EditMessageText(chatId: UserId, messageId: sent.MessageId, text: "second");
        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => bot.EditMessageText(chatId: UserId, messageId: sent.MessageId, text: "second"));

        Assert.Equal("second", edited.Text);
        Assert.NotNull(edited.EditDate);
        Assert.StartsWith("Bad Request: message is not modified", error.Message);
        var edit = (await fake.WaitForMessagesAsync(2, Wait))[1];
        Assert.True(edit.Edited);
        Assert.Equal(sent.MessageId, edit.MessageId);
    }

    [Fact]
    public async Task An_empty_long_poll_is_held_then_answers_empty()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();

        var updates = await Bot(fake, http).GetUpdates(timeout: 1);

        Assert.Empty(updates);
        Assert.Equal(1, fake.GetUpdatesCalls);
    }

    [Fact]
    public async Task A_held_poll_is_answered_by_an_update_scripted_while_it_waits()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();

        var poll = Bot(fake, http).GetUpdates(timeout: 2);
        await fake.WaitForRequestAsync(r => r.Method == "getUpdates", Wait);
        var id = fake.SendText(UserId, "private", UserId, "Ann", "hello");

        var update = Assert.Single(await poll);
        Assert.Equal(id, update.Id);
    }

    [Fact]
    public async Task Updates_are_redelivered_until_an_offset_passes_them()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);
        var id = fake.SendText(UserId, "private", UserId, "Ann", "hello");

        var first = await bot.GetUpdates(timeout: 0);
        var again = await bot.GetUpdates(timeout: 0);
        var afterConfirming = await bot.GetUpdates(offset: (int)id + 1, timeout: 0);
        await fake.WaitForConfirmedAsync(id, Wait);

        Assert.Equal(id, Assert.Single(first).Id);
        Assert.Equal(id, Assert.Single(again).Id);
        Assert.Empty(afterConfirming);
        Assert.Equal(id + 1, fake.ConfirmedOffset);
        Assert.Empty(await bot.GetUpdates(timeout: 0));
    }

    [Fact]
    public async Task Scripted_updates_deserialize_with_the_real_client()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);
        var reply = await bot.SendMessage(chatId: Group, text: "pick one", replyMarkup: Keyboard("fb:up:1"));

        fake.SendText(Group, "supergroup", UserId, "Ann", "/mood@SpotMirrorTestBot chill");
        var press = fake.PressButton(Group, "supergroup", reply.MessageId, UserId, "Ann", "fb:up:1");
        fake.React(Group, "supergroup", reply.MessageId, UserId, "Ann", NoEmoji, ThumbsUp);
        fake.React(Group, "supergroup", reply.MessageId, null, null, ThumbsUp, Fire);
        fake.ReactionCount(Group, reply.MessageId, Counts);
        var updates = await bot.GetUpdates(timeout: 0, allowedUpdates: EverythingWeUse);

        Assert.Equal(5, updates.Length);
        var command = updates[0].Message!;
        Assert.Equal("/mood@SpotMirrorTestBot chill", command.Text);
        var entity = Assert.Single(command.Entities!);
        Assert.Equal((MessageEntityType.BotCommand, 0, 23), (entity.Type, entity.Offset, entity.Length));
        var query = updates[1].CallbackQuery!;
        Assert.Equal(press.CallbackQueryId, query.Id);
        Assert.Equal("fb:up:1", query.Data);
        Assert.Equal(reply.MessageId, query.Message!.MessageId);
        var reaction = updates[2].MessageReaction!;
        Assert.Equal(UserId, reaction.User!.Id);
        Assert.Equal("👍", Assert.IsType<ReactionTypeEmoji>(Assert.Single(reaction.NewReaction)).Emoji);
        var anonymous = updates[3].MessageReaction!;
        Assert.Null(anonymous.User);
        Assert.Equal(Group, anonymous.ActorChat!.Id);
        Assert.Equal(3, Assert.Single(updates[4].MessageReactionCount!.Reactions).TotalCount);
        Assert.Equal(["message", "callback_query", "message_reaction", "message_reaction_count"], fake.LastAllowedUpdates);
    }

    [Fact]
    public async Task Reaction_updates_are_delivered_only_when_asked_for_by_name()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);
        fake.React(Group, "supergroup", 7, UserId, "Ann", NoEmoji, ThumbsUp);

        // An empty allowed_updates means "the default set", which leaves reactions out.
        var withEmptyList = await bot.GetUpdates(timeout: 0, allowedUpdates: []);
        var withReactions = await bot.GetUpdates(timeout: 0, allowedUpdates: EverythingWeUse);

        Assert.Empty(withEmptyList);
        Assert.NotNull(Assert.Single(withReactions).MessageReaction);
    }

    [Fact]
    public async Task Too_many_requests_carries_retry_after()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        fake.FailNext("sendMessage", TelegramFault.TooManyRequests(7));

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => Bot(fake, http).SendMessage(chatId: UserId, text: "hi"));

        Assert.Equal(429, error.ErrorCode);
        Assert.Equal(7, error.Parameters!.RetryAfter);
        Assert.Empty(fake.SentMessages);
    }

    [Fact]
    public async Task An_html_502_is_a_request_exception_not_an_api_error()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        fake.FailNext("getMe", TelegramFault.HtmlServerError(502));

        var error = await Assert.ThrowsAsync<RequestException>(() => Bot(fake, http).GetMe());

        Assert.Equal(HttpStatusCode.BadGateway, error.HttpStatusCode);
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("truncated")]
    public async Task Broken_answers_are_request_exceptions(string fault)
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        fake.FailNext("sendMessage", fault == "reset" ? TelegramFault.ResetConnection : TelegramFault.TruncatedJson);

        await Assert.ThrowsAsync<RequestException>(() => Bot(fake, http).SendMessage(chatId: UserId, text: "hi"));
    }

    [Fact]
    public async Task A_delayed_answer_is_still_a_normal_answer()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        fake.FailNext("getMe", TelegramFault.Delay(TimeSpan.FromMilliseconds(100)));

        Assert.Equal(fake.BotUserId, (await Bot(fake, http).GetMe()).Id);
    }

    [Fact]
    public async Task A_wrong_token_is_unauthorized()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var stranger = new TelegramBotClient(new TelegramBotClientOptions("999:WRONG", baseUrl: fake.BaseUrl) { RetryThreshold = 0 }, http);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => stranger.GetMe());

        Assert.Equal(401, error.ErrorCode);
        Assert.Equal("Unauthorized", error.Message);
    }

    [Fact]
    public async Task An_unknown_method_is_not_found()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();

        var (status, body) = await PostAsync(http, fake, "sendTelepathy", "{}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, (int)body!["error_code"]!);
    }

    [Fact]
    public async Task A_callback_query_is_answered_once()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);
        var press = fake.PressButton(UserId, "private", 1, UserId, "Ann", "fb:up:1");

        await bot.AnswerCallbackQuery(press.CallbackQueryId, text: "Noted");
        var twice = await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerCallbackQuery(press.CallbackQueryId));
        var unknown = await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerCallbackQuery("12345"));

        Assert.Equal("Noted", (await fake.WaitForCallbackAnswerAsync(press.CallbackQueryId, Wait)).Text);
        Assert.Equal(400, twice.ErrorCode);
        Assert.Equal("Bad Request: query is too old and response timeout expired or query ID is invalid", twice.Message);
        Assert.Equal(400, unknown.ErrorCode);
    }

    [Fact]
    public async Task A_late_callback_answer_is_refused()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2024-05-01T12:00:00Z"));
        await using var fake = await FakeTelegramServer.StartAsync(new FakeTelegramOptions { Clock = clock });
        using var http = new HttpClient();
        var press = fake.PressButton(UserId, "private", 1, UserId, "Ann", "fb:up:1");

        clock.Advance(TimeSpan.FromSeconds(16));
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => Bot(fake, http).AnswerCallbackQuery(press.CallbackQueryId));

        Assert.Equal(400, error.ErrorCode);
        Assert.Empty(fake.CallbackAnswers);
    }

    [Fact]
    public async Task A_failed_poll_confirms_nothing()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var id = fake.SendText(UserId, "private", UserId, "Ann", "hello");
        fake.FailNext("getUpdates", TelegramFault.Conflict);

        var (status, _) = await PostAsync(http, fake, "getUpdates", $"{{\"offset\":{id + 1},\"timeout\":0}}");
        var updates = await Bot(fake, http).GetUpdates(timeout: 0);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(0, fake.ConfirmedOffset);
        Assert.Equal(id, Assert.Single(updates).Id);
        Assert.Equal(2, fake.GetUpdatesCalls);
    }

    [Fact]
    public async Task Of_two_concurrent_polls_one_is_ended_with_409()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();

        // Whichever poll the fake registers second ends the other; with no updates the survivor answers [].
        var first = PostAsync(http, fake, "getUpdates", "{\"timeout\":2}");
        await fake.WaitForRequestAsync(r => r.Method == "getUpdates", Wait);
        var second = PostAsync(http, fake, "getUpdates", "{\"timeout\":1}");

        var answers = await Task.WhenAll(first, second);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.Status).Order());
        Assert.Empty(answers.Single(a => a.Status == HttpStatusCode.OK).Body!["result"]!.AsArray());
    }

    [Fact]
    public async Task A_poison_update_comes_back_verbatim()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        const string Poison =
            "{\"update_id\":{id},\"message_reaction\":{\"chat\":{\"id\":-1001,\"type\":\"supergroup\",\"title\":\"t\"},"
            + "\"message_id\":7,\"user\":{\"id\":42,\"is_bot\":false,\"first_name\":\"A\"},\"date\":1700000000,"
            + "\"old_reaction\":[],\"new_reaction\":[{\"type\":\"brand_new\"}]}}";
        var id = fake.EnqueueRaw(Poison);

        var (_, body) = await PostAsync(http, fake, "getUpdates", "{\"timeout\":0,\"allowed_updates\":[\"message_reaction\"]}");

        var update = Assert.Single(body!["result"]!.AsArray())!;
        Assert.Equal(id, (long)update["update_id"]!);
        Assert.Equal("brand_new", (string)update["message_reaction"]!["new_reaction"]![0]!["type"]!);
        await Assert.ThrowsAnyAsync<RequestException>(() => Bot(fake, http).GetUpdates(timeout: 0));
    }

    [Theory]
    [InlineData("👍", true)]
    [InlineData("❤", true)]
    [InlineData("❤‍🔥", true)]
    [InlineData("❤️", false)]
    [InlineData("🦖", false)]
    public async Task Only_standard_reaction_emoji_are_accepted(string emoji, bool accepted)
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        ReactionType[] reaction = [new ReactionTypeEmoji { Emoji = emoji }];

        var call = Bot(fake, http).SetMessageReaction(chatId: UserId, messageId: 1, reaction: reaction);

        if (accepted)
        {
            await call;
            Assert.Equal([emoji], Assert.Single(fake.Reactions).Emoji);
        }
        else
        {
            Assert.Equal("Bad Request: REACTION_INVALID", (await Assert.ThrowsAsync<ApiRequestException>(() => call)).Message);
        }
    }

    [Fact]
    public async Task A_bot_sets_at_most_one_reaction()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        ReactionType[] two = [new ReactionTypeEmoji { Emoji = "👍" }, new ReactionTypeEmoji { Emoji = "🔥" }];

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => Bot(fake, http).SetMessageReaction(chatId: UserId, messageId: 1, reaction: two));

        Assert.Equal(400, error.ErrorCode);
    }

    [Fact]
    public async Task Commands_are_validated_and_recorded_with_their_scope()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        var bot = Bot(fake, http);
        BotCommand[] good = [new() { Command = "mood", Description = "Tracks for a mood" }];
        BotCommand[] bad = [new() { Command = "Mood", Description = "Capitals are not allowed" }];

        await bot.SetMyCommands(good, scope: BotCommandScope.AllPrivateChats());
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SetMyCommands(bad));
        var stored = await bot.GetMyCommands(scope: BotCommandScope.AllPrivateChats());

        Assert.Equal("Bad Request: BOT_COMMAND_INVALID", error.Message);
        var set = Assert.Single(fake.Commands);
        Assert.Equal("mood", Assert.Single(set.Commands).Command);
        Assert.Equal("all_private_chats", (string)set.Scope!["type"]!);
        Assert.Equal("mood", Assert.Single(stored).Command);
    }

    private static TelegramBotClient Bot(FakeTelegramServer fake, HttpClient http) =>
        new(new TelegramBotClientOptions(fake.Token, baseUrl: fake.BaseUrl) { RetryThreshold = 0 }, http);

    private static InlineKeyboardMarkup Keyboard(string data) => new(InlineKeyboardButton.WithCallbackData("👍", data));

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient http, FakeTelegramServer fake, string method, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri($"{fake.BaseUrl}/bot{fake.Token}/{method}"), content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }
}
