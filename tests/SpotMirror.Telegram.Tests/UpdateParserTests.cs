using System.Text.Json;
using SpotMirror.Chat;

namespace SpotMirror.Telegram.Tests;

public sealed class UpdateParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly TelegramUpdateParser _parser = new("SpotMirrorBot", new FixedClock(Now));

    private TelegramInbound Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return _parser.Parse(document.RootElement.Clone());
    }

    private static string Message(string text, long chatId = 42, string type = "private") =>
        "{\"update_id\":7,\"message\":{\"message_id\":11,\"date\":1700000000,\"chat\":{\"id\":" + chatId + ",\"type\":\"" + type + "\"}," +
        "\"from\":{\"id\":42,\"is_bot\":false,\"first_name\":\"Ana\"},\"text\":" + JsonSerializer.Serialize(text) + "}}";

    [Fact]
    public void A_command_becomes_a_chat_command_with_a_stable_event_id()
    {
        var command = Assert.IsType<InboundCommand>(Parse(Message("/mood chill")));

        Assert.Equal(7, command.UpdateId);
        Assert.Equal((42L, 11), (command.ChatId, command.MessageId));
        Assert.Equal("/mood chill", command.Event.Text);
        Assert.Equal("tg:msg:42:11", command.Event.EventId);
        Assert.Equal(("telegram", "42", "Ana"), (command.Event.User.Platform, command.Event.User.PlatformUserId, command.Event.User.DisplayName));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), command.Event.At);
    }

    [Fact]
    public void A_command_addressed_to_us_by_name_is_ours_and_one_for_another_bot_is_not()
    {
        Assert.IsType<InboundCommand>(Parse(Message("/mood@spotmirrorbot chill", -100, "supergroup")));
        Assert.IsType<InboundIgnored>(Parse(Message("/mood@OtherBot chill", -100, "supergroup")));
    }

    [Fact]
    public void Plain_text_gets_help_in_a_private_chat_and_is_left_alone_in_a_group()
    {
        Assert.Equal("/help", Assert.IsType<InboundCommand>(Parse(Message("hello there"))).Event.Text);
        Assert.IsType<InboundIgnored>(Parse(Message("hello there", -100, "supergroup")));
    }

    [Fact]
    public void A_feedback_button_becomes_a_press_on_that_track()
    {
        var inbound = Parse("""
            {"update_id":8,"callback_query":{"id":"cb-1","from":{"id":5,"is_bot":false,"first_name":"Bo"},"chat_instance":"x","data":"fb:d:3",
             "message":{"message_id":90,"date":1700000000,"chat":{"id":-100,"type":"supergroup","title":"t"},"from":{"id":1,"is_bot":true,"first_name":"SpotMirror"}}}}
            """);

        var button = Assert.IsType<InboundButton>(inbound);
        Assert.Equal("cb-1", button.CallbackQueryId);
        Assert.Equal(("-100", "90", "👎", 3), (button.Event.ChatId, button.Event.MessageId, button.Event.Emoji, button.Event.ItemIndex));
        Assert.Equal("tg:cb:cb-1", button.Event.EventId);
        Assert.Equal(Now, button.Event.At);
    }

    [Fact]
    public void The_join_button_is_a_headphones_press_on_the_lobby()
    {
        var inbound = Parse("""
            {"update_id":9,"callback_query":{"id":"cb-3","from":{"id":5,"is_bot":false,"first_name":"Bo"},"chat_instance":"x","data":"grp:join",
             "message":{"message_id":91,"date":1700000000,"chat":{"id":-100,"type":"supergroup","title":"t"}}}}
            """);

        var button = Assert.IsType<InboundButton>(inbound);
        Assert.Equal(("91", "🎧", 0), (button.Event.MessageId, button.Event.Emoji, button.Event.ItemIndex));
    }

    [Fact]
    public void A_button_with_data_we_do_not_know_is_answered_and_nothing_else()
    {
        var inbound = Parse("""
            {"update_id":8,"callback_query":{"id":"cb-2","from":{"id":5,"is_bot":false,"first_name":"Bo"},"chat_instance":"x","data":"something-old",
             "message":{"message_id":90,"date":1700000000,"chat":{"id":5,"type":"private"}}}}
            """);

        Assert.Equal("cb-2", Assert.IsType<InboundStrayButton>(inbound).CallbackQueryId);
    }

    [Theory]
    [InlineData("👍", "", "-👍")]
    [InlineData("👍", "🔥", null)]
    [InlineData("👍🏿", "👍", null)]
    [InlineData("👍", "👎", "-👍 +👎")]
    public void A_reaction_swapped_for_one_of_the_same_meaning_changes_nothing(string before, string after, string? expected)
    {
        static string List(string emoji) => emoji.Length == 0 ? "[]" : $"[{{\"type\":\"emoji\",\"emoji\":\"{emoji}\"}}]";
        var inbound = Parse($$$"""
            {"update_id":11,"message_reaction":{"chat":{"id":-1001,"type":"supergroup","title":"t"},"message_id":7,"user":{"id":42,"is_bot":false,"first_name":"A"},"date":1700000000,
             "old_reaction":{{{List(before)}}},"new_reaction":{{{List(after)}}}}}
            """);

        var changes = inbound is InboundReactions reactions ? string.Join(' ', reactions.Events.Select(e => (e.Added ? "+" : "-") + e.Emoji)) : null;
        Assert.Equal(expected, changes);
    }

    [Fact]
    public void Reaction_lists_are_diffed_into_added_and_removed_meanings()
    {
        var inbound = Parse("""
            {"update_id":10,"message_reaction":{"chat":{"id":-1001,"type":"supergroup","title":"t"},"message_id":7,"user":{"id":42,"is_bot":false,"first_name":"A"},"date":1700000000,
             "old_reaction":[{"type":"emoji","emoji":"👍"},{"type":"emoji","emoji":"🔥"}],
             "new_reaction":[{"type":"emoji","emoji":"🔥"},{"type":"emoji","emoji":"❤"},{"type":"custom_emoji","custom_emoji_id":"555"},{"type":"paid"}]}}
            """);

        // 👍 and 🔥 mean one like: 👍 taken off while 🔥 stays changes nothing; ❤ is new.
        var events = Assert.IsType<InboundReactions>(inbound).Events;
        var added = Assert.Single(events);
        Assert.True(added is { Emoji: "❤", Added: true, EventId: "tg:rx:10:+❤" });
        Assert.All(events, e => Assert.Equal(("-1001", "7", "42", (int?)null), (e.ChatId, e.MessageId, e.User.PlatformUserId, e.ItemIndex)));
    }

    [Fact]
    public void An_anonymous_reaction_changes_no_one()
    {
        var inbound = Parse("""
            {"update_id":11,"message_reaction":{"chat":{"id":-1001,"type":"supergroup","title":"t"},"message_id":7,"actor_chat":{"id":-1001,"type":"supergroup","title":"t"},"date":1700000000,
             "old_reaction":[],"new_reaction":[{"type":"emoji","emoji":"👍"}]}}
            """);

        Assert.IsType<InboundIgnored>(inbound);
    }

    [Fact]
    public void Reaction_counts_are_ignored()
    {
        var inbound = Parse("""
            {"update_id":12,"message_reaction_count":{"chat":{"id":-1001,"type":"channel","title":"t"},"message_id":7,"date":1700000000,"reactions":[{"type":{"type":"emoji","emoji":"👍"},"total_count":3}]}}
            """);

        Assert.IsType<InboundIgnored>(inbound);
    }

    [Fact]
    public void A_poison_update_is_unreadable_but_keeps_its_id_so_the_offset_can_pass_it()
    {
        var inbound = Parse("""
            {"update_id":13,"message_reaction":{"chat":{"id":-1001,"type":"supergroup","title":"t"},"message_id":7,"user":{"id":42,"is_bot":false,"first_name":"A"},"date":1700000000,
             "old_reaction":[],"new_reaction":[{"type":"brand_new"}]}}
            """);

        Assert.Equal(13, Assert.IsType<InboundUnreadable>(inbound).UpdateId);
    }

    [Fact]
    public void An_update_of_a_kind_we_do_not_use_is_ignored()
    {
        Assert.IsType<InboundIgnored>(Parse("""{"update_id":14,"poll":{"id":"p","question":"q","options":[],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}"""));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
