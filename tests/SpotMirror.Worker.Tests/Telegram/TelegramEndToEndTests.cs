using System.Text.Json.Nodes;
using SpotMirror.Testing.Telegram;

namespace SpotMirror.Worker.Tests.Telegram;

/// <summary>
/// The real process with Telegram:Token set, against the loopback fake: commands get replies with
/// buttons, buttons and group reactions reach the preference table, and taking a reaction off undoes it.
/// </summary>
public sealed class TelegramEndToEndTests : IAsyncLifetime
{
    private const long Private = 42;
    private const long Group = -1001;
    private static readonly TimeSpan Patience = TelegramBotProcess.Patience;
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private TelegramBotProcess _bot = null!;

    public async Task InitializeAsync() => _bot = await TelegramBotProcess.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private FakeTelegramServer Fake => _bot.Fake;

    /// <summary>The track buttons under a reply: one row per track of (callback data) strings.</summary>
    private static List<List<string>> Buttons(SentTelegramMessage message) =>
        message.ReplyMarkup!["inline_keyboard"]!.AsArray()
            .Select(row => row!.AsArray().Select(b => (string?)b!["callback_data"] ?? $"url:{(string)b!["url"]!}").ToList()).ToList();

    private async Task<SentTelegramMessage> AskAsync(long chat, string type, long user, string text)
    {
        var sent = Fake.SendText(chat, type, user, "Ana", text);
        await Fake.WaitForConfirmedAsync(sent, Patience);
        var reply = await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == Fake.MessageIdOf(sent), Patience);
        await _bot.WaitForLedgerAsync(chat, reply.MessageId);
        return reply;
    }

    [Fact]
    public async Task The_bot_announces_its_commands_and_asks_for_reaction_updates_by_name()
    {
        await AskAsync(Private, "private", 7, "/mood chill 2");

        Assert.Contains(Fake.Commands, set => set.Commands.Any(c => c.Command == "mood"));
        Assert.Equal(["message", "callback_query", "message_reaction", "message_reaction_count", "inline_query"], Fake.LastAllowedUpdates);
        Assert.Contains(Fake.Requests, r => r.Method == "deleteWebhook");
    }

    [Fact]
    public async Task A_command_gets_an_html_reply_with_a_button_row_per_track_and_the_ledger_knows_its_tracks()
    {
        var reply = await AskAsync(Private, "private", 7, "/mood chill 3");

        Assert.Equal("html", reply.ParseMode?.ToLowerInvariant());
        Assert.StartsWith("Chill", reply.PlainText, StringComparison.OrdinalIgnoreCase);
        var rows = Buttons(reply);
        // A row per track (❤️ 👍 👎 and a ▶ URL button the fake checked), then More for the asker.
        Assert.Equal(4, rows.Count);
        // Each feedback button also names its track, so a press still counts if the ledger never learned the message.
        var first = (await _bot.LedgerAsync(Private, reply.MessageId))[0];
        Assert.Equal([$"fb:l:1:{first}", $"fb:u:1:{first}", $"fb:d:1:{first}", "url:https://open.spotify.com/search/"], rows[0].Select(b => b.StartsWith("url:", StringComparison.Ordinal) ? b[..36] : b));
        Assert.Equal(["more:7"], rows[3]);
        Assert.Equal(3, (await _bot.LedgerAsync(Private, reply.MessageId)).Count);
    }

    [Fact]
    public async Task A_button_press_is_answered_at_once_and_lands_in_the_preference_table_and_a_second_press_takes_it_back()
    {
        var reply = await AskAsync(Private, "private", 7, "/mood chill 3");
        var second = (await _bot.LedgerAsync(Private, reply.MessageId))[1];

        var press = Fake.PressButton(Private, "private", reply.MessageId, 7, "Ana", "fb:u:2");
        var answer = await Fake.WaitForCallbackAnswerAsync(press.CallbackQueryId, Patience);

        Assert.StartsWith("Noted: more like", answer.Text, StringComparison.Ordinal);
        Assert.Equal(1.0, await _bot.ScoreAsync(7, second));

        var again = Fake.PressButton(Private, "private", reply.MessageId, 7, "Ana", "fb:u:2");
        var undone = await Fake.WaitForCallbackAnswerAsync(again.CallbackQueryId, Patience);

        Assert.StartsWith("Taken back", undone.Text, StringComparison.Ordinal);
        Assert.Null(await _bot.ScoreAsync(7, second));
    }

    [Fact]
    public async Task Profile_after_a_reaction_sends_the_taste_picture_as_a_png_photo_after_the_text()
    {
        var list = await AskAsync(Private, "private", 7, "/mood chill 3");
        var press = Fake.PressButton(Private, "private", list.MessageId, 7, "Ana", "fb:l:1");
        await Fake.WaitForCallbackAnswerAsync(press.CallbackQueryId, Patience);

        // A profile reply names no tracks, so it leaves no ledger row to wait for: wait for the message itself.
        var asked = Fake.SendText(Private, "private", 7, "Ana", "/profile");
        var profile = await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == Fake.MessageIdOf(asked), Patience);
        var photo = await Fake.WaitForPhotoAsync(p => p.ChatId == Private, Patience);

        Assert.StartsWith("Your taste", profile.PlainText, StringComparison.Ordinal);
        Assert.True(photo.MessageId > profile.MessageId, "the picture follows the text");
        Assert.Equal(PngSignature, photo.Bytes.Take(8));
        Assert.True(photo.Bytes.Count > 10_000, $"a rendered picture, not a placeholder ({photo.Bytes.Count} bytes)");
        var upload = Assert.Single(Fake.Requests, r => r.Method == "sendPhoto");
        Assert.StartsWith("multipart/form-data", upload.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_that_is_not_a_profile_sends_no_photo()
    {
        await AskAsync(Private, "private", 7, "/mood chill 3");

        Assert.Empty(Fake.SentPhotos);
    }

    [Fact]
    public async Task A_group_reaction_counts_for_the_reacting_member_and_removing_it_takes_it_back()
    {
        var reply = await AskAsync(Group, "supergroup", 7, "/mood@SpotMirrorTestBot chill 3");
        var tracks = await _bot.LedgerAsync(Group, reply.MessageId);
        Assert.NotNull(reply.ReplyToMessageId);

        var on = Fake.React(Group, "supergroup", reply.MessageId, 77, "Bo", [], ["👍"]);
        await Fake.WaitForConfirmedAsync(on, Patience);

        foreach (var track in tracks) Assert.Equal(0.35, await _bot.ScoreAsync(77, track) ?? 0, 6);
        Assert.Null(await _bot.ScoreAsync(7, tracks[0]));

        var off = Fake.React(Group, "supergroup", reply.MessageId, 77, "Bo", ["👍"], []);
        await Fake.WaitForConfirmedAsync(off, Patience);

        foreach (var track in tracks) Assert.Null(await _bot.ScoreAsync(77, track));
    }

    [Fact]
    public async Task Anonymous_reactions_and_reaction_counts_change_no_preference()
    {
        var reply = await AskAsync(Group, "supergroup", 7, "/mood chill 3");

        var anonymous = Fake.React(Group, "supergroup", reply.MessageId, null, null, [], ["👍"]);
        var counts = Fake.ReactionCount(Group, reply.MessageId, [("👍", 5)]);
        await Fake.WaitForConfirmedAsync(Math.Max(anonymous, counts), Patience);

        Assert.Equal(0L, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM preferences"));
    }

    [Fact]
    public async Task A_command_for_another_bot_and_plain_group_chatter_get_no_reply()
    {
        await AskAsync(Group, "supergroup", 7, "/mood chill 2");
        var before = Fake.SentMessages.Count;

        var foreign = Fake.SendText(Group, "supergroup", 7, "Ana", "/mood@SomeOtherBot chill");
        var chatter = Fake.SendText(Group, "supergroup", 7, "Ana", "anyone up for lunch?");
        var help = Fake.SendText(Private, "private", 7, "Ana", "hi");
        await Fake.WaitForMessageAsync(m => m.ChatId == Private, Patience);
        await Fake.WaitForConfirmedAsync(Math.Max(foreign, Math.Max(chatter, help)), Patience);

        Assert.Equal(before + 1, Fake.SentMessages.Count);
    }
}
