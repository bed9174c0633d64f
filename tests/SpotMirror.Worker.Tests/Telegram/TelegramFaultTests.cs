using SpotMirror.Testing;
using Microsoft.Data.Sqlite;
using SpotMirror.Testing.Telegram;

namespace SpotMirror.Worker.Tests.Telegram;

/// <summary>
/// The scripted faults of protocols.md 8.2, each against the real process: the bot keeps running and
/// no update is lost or applied twice.
/// </summary>
public sealed class TelegramFaultTests : IAsyncLifetime
{
    private const long Chat = 42;
    private static readonly TimeSpan Patience = TelegramBotProcess.Patience;
    private TelegramBotProcess _bot = null!;

    public async Task InitializeAsync() => _bot = await TelegramBotProcess.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private FakeTelegramServer Fake => _bot.Fake;

    private List<SentTelegramMessage> RepliesTo(long commandMessageId) =>
        Fake.SentMessages.Where(m => m.ReplyToMessageId == commandMessageId).ToList();

    /// <summary>The message id the fake gave a scripted command (the update's message.message_id).</summary>
    private long CommandMessageId(long updateId) => Fake.MessageIdOf(updateId);

    /// <summary>Sends a command and waits for its reply to be sent and known to the ledger.</summary>
    private async Task<SentTelegramMessage> ListAsync(string text)
    {
        var sent = Fake.SendText(Chat, "private", 7, "Ana", text);
        var reply = await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == CommandMessageId(sent), Patience);
        await _bot.WaitForLedgerAsync(Chat, reply.MessageId);
        return reply;
    }

    [Fact]
    public async Task Every_getUpdates_failure_is_survived_and_every_command_is_answered_exactly_once()
    {
        Fake.FailNext("getUpdates", TelegramFault.TooManyRequests(1));
        Fake.FailNext("getUpdates", TelegramFault.HtmlServerError(502));
        Fake.FailNext("getUpdates", TelegramFault.Conflict);
        Fake.FailNext("getUpdates", TelegramFault.ResetConnection);
        Fake.FailNext("getUpdates", TelegramFault.TruncatedJson);

        var commands = new List<long>();
        foreach (var mood in new[] { "chill", "happy", "sad", "party", "focus" })
        {
            commands.Add(Fake.SendText(Chat, "private", 7, "Ana", $"/mood {mood} 2"));
        }
        await Fake.WaitForConfirmedAsync(commands[^1], Patience);
        await Fake.WaitForMessagesAsync(5, Patience);

        foreach (var update in commands) Assert.Single(RepliesTo(CommandMessageId(update)));
        Assert.False(_bot.HasExited, _bot.Log);
        Assert.Contains("getUpdates failed", _bot.Log, StringComparison.Ordinal);
        // Telegram puts the token in every URL; no error line may carry it.
        Assert.DoesNotContain(Fake.Token, _bot.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_telegram_accepted_is_never_sent_again_even_when_its_answer_is_odd()
    {
        Fake.FailNext("sendMessage", TelegramFault.MillisecondDates);

        var mood = Fake.SendText(Chat, "private", 7, "Ana", "/mood chill 2");
        var help = Fake.SendText(Chat, "private", 7, "Ana", "/help");
        // Replies to one chat go in order: once /help is answered, any second copy of the first reply would have gone.
        await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == CommandMessageId(help), Patience);

        var list = Assert.Single(RepliesTo(CommandMessageId(mood)));
        await _bot.WaitForLedgerAsync(Chat, list.MessageId);
        Assert.DoesNotContain("trying again", _bot.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_poison_update_is_logged_and_skipped_and_the_updates_around_it_are_handled()
    {
        var before = Fake.SendText(Chat, "private", 7, "Ana", "/mood chill 2");
        var poison = Fake.EnqueueRaw("""
            {"update_id":{id},"message_reaction":{"chat":{"id":-1001,"type":"supergroup","title":"t"},"message_id":7,
             "user":{"id":42,"is_bot":false,"first_name":"A"},"date":1700000000,"old_reaction":[],"new_reaction":[{"type":"brand_new"}]}}
            """);
        var after = Fake.SendText(Chat, "private", 7, "Ana", "/mood happy 2");

        await Fake.WaitForConfirmedAsync(after, Patience);
        await Fake.WaitForMessagesAsync(2, Patience);

        Assert.Single(RepliesTo(CommandMessageId(before)));
        Assert.Single(RepliesTo(CommandMessageId(after)));
        await WaitForLogAsync($"update {poison} could not be read");
    }

    [Fact]
    public async Task A_reaction_in_a_private_chat_counts_like_any_other()
    {
        var reply = await ListAsync("/mood chill 2");

        var reaction = Fake.React(Chat, "private", reply.MessageId, 7, "Ana", [], ["❤"]);
        await Fake.WaitForConfirmedAsync(reaction, Patience);

        Assert.Equal(2L, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM preferences"));
    }

    [Fact]
    public async Task Send_failures_are_retried_and_the_reply_arrives_once()
    {
        Fake.FailNext("sendMessage", TelegramFault.TooManyRequests(1));
        Fake.FailNext("sendMessage", TelegramFault.HtmlServerError(502));

        var sent = Fake.SendText(Chat, "private", 7, "Ana", "/mood chill 2");
        var reply = await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == CommandMessageId(sent), Patience);

        Assert.NotNull(reply.ReplyMarkup);
        await _bot.WaitForSentAsync(1);
        Assert.Single(RepliesTo(CommandMessageId(sent)));
        Assert.Equal(1L, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM outbox WHERE state = 'sent'"));
    }

    [Fact]
    public async Task Html_that_telegram_refuses_is_sent_again_as_plain_text()
    {
        Fake.FailNext("sendMessage", TelegramFault.BadRequest("Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0"));

        var sent = Fake.SendText(Chat, "private", 7, "Ana", "/mood chill 2");
        var reply = await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == CommandMessageId(sent), Patience);

        Assert.Null(reply.ParseMode);
        Assert.DoesNotContain("<b>", reply.Text, StringComparison.Ordinal);
        Assert.NotNull(reply.ReplyMarkup);
    }

    [Fact]
    public async Task A_stale_callback_answer_loses_only_the_toast_not_the_feedback()
    {
        var reply = await ListAsync("/mood chill 2");
        Fake.FailNext("answerCallbackQuery", TelegramFault.BadRequest("Bad Request: query is too old and response timeout expired or query ID is invalid"));

        var press = Fake.PressButton(Chat, "private", reply.MessageId, 7, "Ana", "fb:l:1");
        await Fake.WaitForConfirmedAsync(press.UpdateId, Patience);
        var next = Fake.SendText(Chat, "private", 7, "Ana", "/profile");
        await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == CommandMessageId(next), Patience);

        Assert.Equal(1L, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM preferences"));
        Assert.False(_bot.HasExited);
    }

    [Fact]
    public async Task A_process_killed_between_delivery_and_commit_applies_every_update_exactly_once_after_restart()
    {
        var list = await ListAsync("/mood chill 3");
        // The next poll waits a moment before it answers, so the three updates below go out in one batch.
        var polls = Fake.GetUpdatesCalls;
        Fake.FailNext("getUpdates", TelegramFault.Delay(TimeSpan.FromSeconds(2)));
        while (Fake.GetUpdatesCalls == polls) await Task.Delay(20);

        // Hold the database's write lock from outside, so whatever the bot fetches next cannot commit.
        await using (var blocker = new SqliteConnection($"Data Source={_bot.DatabasePath}"))
        {
            await blocker.OpenAsync();
            await using (var hold = blocker.CreateCommand())
            {
                hold.CommandText = "BEGIN IMMEDIATE";
                await hold.ExecuteNonQueryAsync();
            }

            var command = Fake.SendText(Chat, "private", 7, "Ana", "/mood happy 2");
            var press = Fake.PressButton(Chat, "private", list.MessageId, 7, "Ana", "fb:u:1");
            var reaction = Fake.React(Chat, "private", list.MessageId, 7, "Ana", [], ["🔥"]);
            await Fake.WaitForDeliveredAsync(reaction, Patience);

            await _bot.KillAsync();
            Assert.True(Fake.ConfirmedOffset <= command, "nothing fetched under the lock may have been confirmed");

            await using var release = blocker.CreateCommand();
            release.CommandText = "ROLLBACK";
            await release.ExecuteNonQueryAsync();

            _bot.Restart();
            await Fake.WaitForConfirmedAsync(reaction, Patience);
            await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == CommandMessageId(command), Patience);

            Assert.Single(RepliesTo(CommandMessageId(command)));
            Assert.Equal(1L, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM feedback_events WHERE event_id = @id", new { id = $"tg:cb:{press.CallbackQueryId}" }));
            Assert.Equal(1L, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM feedback_events WHERE event_id = @id", new { id = $"tg:rx:{reaction}:+🔥" }));
            // 👍 on track 1 at full weight, plus 🔥 on the whole list at the reply-wide weight, each once.
            var tracks = await _bot.LedgerAsync(Chat, list.MessageId);
            Assert.Equal(1.35, await _bot.ScoreAsync(7, tracks[0]) ?? 0, 6);
            Assert.Equal(0.35, await _bot.ScoreAsync(7, tracks[1]) ?? 0, 6);
        }
    }

    [Fact]
    public async Task A_start_up_method_the_server_does_not_offer_is_warned_about_once_and_the_bot_carries_on()
    {
        await using var bot = await TelegramBotProcess.StartAsync(beforeStart: fake =>
        {
            fake.FailNext("setMyCommands", TelegramFault.ApiError(404, "Not Found"));
            fake.FailNext("deleteWebhook", TelegramFault.HtmlServerError(502));
        });

        var sent = bot.Fake.SendText(Chat, "private", 7, "Ana", "/mood chill 2");
        await bot.Fake.WaitForMessageAsync(m => m.ReplyToMessageId == bot.Fake.MessageIdOf(sent), Patience);

        Assert.Contains("setMyCommands failed", bot.Log, StringComparison.Ordinal);
        Assert.Contains("deleteWebhook failed", bot.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_token_stops_start_up_with_a_sentence_and_never_prints_the_token()
    {
        const string secret = "not-a-token-s3cr3t";

        var result = await SpotMirrorProcess.RunAsync(["run", "--db", _bot.DatabasePath + ".other"],
            environment: new Dictionary<string, string?> { ["Telegram__Token"] = secret, ["Http__Enabled"] = "false" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Telegram:Token does not look like a bot token", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_telegram_rejects_stops_the_telegram_bot_with_a_clear_line_and_leaves_the_host_running()
    {
        await using var bot = await TelegramBotProcess.StartAsync(beforeStart: fake => fake.FailNext("getMe", TelegramFault.ApiError(401, "Unauthorized")));

        await WaitForLogAsync(bot, "Telegram rejected the bot token (401 Unauthorized)");

        Assert.False(bot.HasExited);
    }

    private Task<string> WaitForLogAsync(string text) => WaitForLogAsync(_bot, text);

    private static Task<string> WaitForLogAsync(TelegramBotProcess bot, string text) =>
        Eventually.WaitAsync(() => Task.FromResult(bot.Log), log => log.Contains(text, StringComparison.Ordinal), Patience,
            log => $"the log never said \"{text}\":\n{log}");
}
