using SpotMirror.Testing;
using SpotMirror.Testing.Telegram;

namespace SpotMirror.Worker.Tests.Telegram;

/// <summary>/group on Telegram: a lobby with a Join button, /group go, and the lobby timer.</summary>
public sealed class TelegramGroupTests
{
    private const long Group = -1002;
    private static readonly TimeSpan Patience = TelegramBotProcess.Patience;

    [Fact]
    public async Task A_lobby_gets_a_join_button_people_press_it_and_go_makes_a_playlist_with_feedback_buttons()
    {
        await using var bot = await TelegramBotProcess.StartAsync();
        var fake = bot.Fake;

        var open = fake.SendText(Group, "supergroup", 7, "Ana", "/group chill 4");
        var lobby = await fake.WaitForMessageAsync(m => m.ReplyToMessageId == fake.MessageIdOf(open), Patience);
        Assert.Contains("who's in?", lobby.PlainText, StringComparison.Ordinal);
        Assert.Equal("grp:join", (string)lobby.ReplyMarkup!["inline_keyboard"]![0]![0]!["callback_data"]!);
        await WaitForLobbyRecordedAsync(bot, lobby.MessageId);

        var join = fake.PressButton(Group, "supergroup", lobby.MessageId, 77, "Bo", "grp:join");
        var toast = await fake.WaitForCallbackAnswerAsync(join.CallbackQueryId, Patience);
        Assert.Equal("Bo is in: 2 so far.", toast.Text);

        var go = fake.SendText(Group, "supergroup", 7, "Ana", "/group go");
        var playlist = await fake.WaitForMessageAsync(m => m.ReplyToMessageId == fake.MessageIdOf(go), Patience);

        Assert.Contains("Group playlist (chill) for Ana and Bo", playlist.PlainText, StringComparison.Ordinal);
        Assert.Contains("How well it suits each of you:", playlist.PlainText, StringComparison.Ordinal);
        Assert.Equal(4, (await bot.WaitForLedgerAsync(Group, playlist.MessageId)).Count);
    }

    [Fact]
    public async Task A_lobby_nobody_closes_becomes_its_playlist_when_its_time_is_up()
    {
        await using var bot = await TelegramBotProcess.StartAsync(settings: new Dictionary<string, string?> { ["Chat__GroupLobbySeconds"] = "5" });
        var fake = bot.Fake;

        var open = fake.SendText(Group, "supergroup", 7, "Ana", "/group 3");
        var lobby = await fake.WaitForMessageAsync(m => m.ReplyToMessageId == fake.MessageIdOf(open), Patience);
        Assert.Contains("in 5 s", lobby.PlainText, StringComparison.Ordinal);

        var playlist = await fake.WaitForMessageAsync(m => m.ChatId == Group && m.PlainText.Contains("Group playlist for Ana", StringComparison.Ordinal), Patience);

        Assert.Equal(3, (await bot.WaitForLedgerAsync(Group, playlist.MessageId)).Count);
        Assert.Single(fake.SentMessages, m => m.PlainText.Contains("Group playlist for Ana", StringComparison.Ordinal));
    }

    /// <summary>The lobby's message id is stored just after Telegram accepts it; a press before that finds no lobby.</summary>
    private static Task<long> WaitForLobbyRecordedAsync(TelegramBotProcess bot, long messageId) =>
        Eventually.WaitAsync(
            () => bot.QueryAsync<long>("SELECT COUNT(*) FROM group_sessions WHERE lobby_message_id = @id", new { id = messageId.ToString() }),
            count => count > 0, Patience, _ => $"lobby message {messageId} was never recorded; log:\n{bot.Log}");
}
