using SpotMirror.Testing.Telegram;

namespace SpotMirror.Worker.Tests.Telegram;

/// <summary>
/// The real process against the loopback fake: a list's More pages for its asker only, and the mood
/// picker's buttons run a mood for whoever pressed them.
/// </summary>
public sealed class TelegramReplyActionTests : IAsyncLifetime
{
    private const long Group = -1001;
    private const long Asker = 7;
    private const long Other = 77;
    private static readonly TimeSpan Patience = TelegramBotProcess.Patience;
    private TelegramBotProcess _bot = null!;

    public async Task InitializeAsync() => _bot = await TelegramBotProcess.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private FakeTelegramServer Fake => _bot.Fake;

    private static List<string> CallbackCodes(SentTelegramMessage message) =>
        message.ReplyMarkup!["inline_keyboard"]!.AsArray()
            .SelectMany(row => row!.AsArray())
            .Select(b => (string?)b!["callback_data"])
            .OfType<string>()
            .ToList();

    private async Task<SentTelegramMessage> AskAsync(string text)
    {
        var sent = Fake.SendText(Group, "supergroup", Asker, "Ana", text);
        await Fake.WaitForConfirmedAsync(sent, Patience);
        return await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == Fake.MessageIdOf(sent), Patience);
    }

    private Task<long> RequesterAsync(SentTelegramMessage message) =>
        _bot.QueryAsync<long>(
            """
            SELECT CAST(u.platform_user_id AS INTEGER) FROM sent_messages s JOIN users u ON u.id = s.requested_by
            WHERE s.platform = 'telegram' AND s.chat_id = @chat AND s.message_id = @message
            """, new { chat = message.ChatId.ToString(), message = message.MessageId.ToString() });

    [Fact]
    public async Task More_pressed_by_the_asker_brings_a_second_list_with_no_track_of_the_first_and_the_first_lists_buttons_still_work()
    {
        var first = await AskAsync("/mood chill 4");
        var firstTracks = await _bot.WaitForLedgerAsync(Group, first.MessageId);
        Assert.Contains($"more:{Asker}", CallbackCodes(first));

        var press = Fake.PressButton(Group, "supergroup", first.MessageId, Asker, "Ana", $"more:{Asker}");
        var answer = await Fake.WaitForCallbackAnswerAsync(press.CallbackQueryId, Patience);
        var second = await Fake.WaitForMessageAsync(m => !m.Edited && m.ReplyToMessageId == first.MessageId, Patience);
        var secondTracks = await _bot.WaitForLedgerAsync(Group, second.MessageId);

        Assert.False(answer.ShowAlert);
        Assert.Contains("(page 2)", second.PlainText, StringComparison.Ordinal);
        Assert.Equal(4, secondTracks.Count);
        Assert.Empty(secondTracks.Intersect(firstTracks));
        Assert.Equal(Asker, await RequesterAsync(second));
        // The new page can page on, and only for the same person.
        Assert.Contains($"more:{Asker}", CallbackCodes(second));

        // The first list is left as it was, so its feedback buttons still count for its own tracks.
        var feedback = Fake.PressButton(Group, "supergroup", first.MessageId, Asker, "Ana", "fb:u:1");
        var noted = await Fake.WaitForCallbackAnswerAsync(feedback.CallbackQueryId, Patience);
        Assert.StartsWith("Noted: more like", noted.Text, StringComparison.Ordinal);
        Assert.Equal(1.0, await _bot.ScoreAsync(Asker, firstTracks[0]));
    }

    [Fact]
    public async Task More_pressed_by_someone_else_gets_a_toast_and_no_message()
    {
        var first = await AskAsync("/mood chill 3");
        await _bot.WaitForLedgerAsync(Group, first.MessageId);
        var queuedBefore = await _bot.QueryAsync<long>("SELECT COUNT(*) FROM outbox");

        var press = Fake.PressButton(Group, "supergroup", first.MessageId, Other, "Bo", $"more:{Asker}");
        var answer = await Fake.WaitForCallbackAnswerAsync(press.CallbackQueryId, Patience);

        Assert.True(answer.ShowAlert);
        Assert.StartsWith("Sorry Bo, only the person who asked", answer.Text, StringComparison.Ordinal);
        // The answer goes out after the press's transaction commits, so any page would already be queued.
        Assert.Equal(queuedBefore, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM outbox"));
        Assert.DoesNotContain(Fake.SentMessages, m => m.ReplyToMessageId == first.MessageId);
    }

    [Fact]
    public async Task A_mood_picker_press_answers_the_presser_with_that_moods_list()
    {
        var picker = await AskAsync("/mood");
        var codes = CallbackCodes(picker);
        Assert.Contains("mood:chill", codes);
        Assert.All(codes, code => Assert.StartsWith("mood:", code, StringComparison.Ordinal));

        var press = Fake.PressButton(Group, "supergroup", picker.MessageId, Other, "Bo", "mood:chill");
        var answer = await Fake.WaitForCallbackAnswerAsync(press.CallbackQueryId, Patience);
        var list = await Fake.WaitForMessageAsync(m => !m.Edited && m.ReplyToMessageId == picker.MessageId, Patience);
        var tracks = await _bot.WaitForLedgerAsync(Group, list.MessageId);

        Assert.False(answer.ShowAlert);
        Assert.StartsWith("Chill for you", list.PlainText, StringComparison.Ordinal);
        Assert.NotEmpty(tracks);
        Assert.Equal(Other, await RequesterAsync(list));
        Assert.Contains($"more:{Other}", CallbackCodes(list));
    }

    [Fact]
    public async Task An_inline_query_lists_matching_catalogue_names_and_choosing_one_sends_a_similar_that_gets_answered()
    {
        var typed = Fake.SendInlineQuery(Asker, "Ana", "nightc");
        var answer = await Fake.WaitForInlineAnswerAsync(typed.InlineQueryId, Patience);

        // The fake refused anything Telegram would (more than 50 results, ids over 64 bytes, no title or text).
        Assert.InRange(answer.Results.Count, 1, 50);
        Assert.Contains(answer.Results, r => r.Title == "Nightcall - Kavinsky");
        Assert.All(answer.Results, r => Assert.Equal($"/similar {r.Title}", r.MessageText));

        var chosen = answer.Results.First(r => r.Title == "Nightcall - Kavinsky");
        var sent = Fake.SendText(Group, "supergroup", Asker, "Ana", chosen.MessageText);
        var reply = await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == Fake.MessageIdOf(sent), Patience);

        Assert.StartsWith("Like Nightcall", reply.PlainText, StringComparison.Ordinal);
        Assert.NotEmpty(await _bot.WaitForLedgerAsync(Group, reply.MessageId));
    }
}
