using System.Text.Json.Nodes;
using SpotMirror.Chat;

namespace SpotMirror.Discord.Tests.Adapter;

/// <summary>The Discord adapter's pure parts: options back to chat text, dispatch parsing, and rendering within Discord's limits.</summary>
public sealed class AdapterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static JsonArray Options(params (string Name, JsonNode Value)[] options) =>
        new([.. options.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["value"] = o.Value.DeepClone() })]);

    [Theory]
    [InlineData("mood", "/mood chill 3")]
    [InlineData("group", "/group go")]
    [InlineData("forget", "/forget yes")]
    public void Slash_command_options_become_the_chat_command_text(string name, string expected)
    {
        var options = name switch
        {
            "mood" => Options(("mood", "chill"), ("count", 3)),
            "group" => Options(("go", true)),
            _ => Options(("confirm", true)),
        };

        Assert.Equal(expected, DiscordCommands.ToText(name, options));
    }

    [Fact]
    public void Missing_options_are_left_out_and_a_group_keeps_its_strategy()
    {
        Assert.Equal("/recommend", DiscordCommands.ToText("recommend", null));
        Assert.Equal("/group rainy 4 strategy:average", DiscordCommands.ToText("group", Options(("mood", "rainy"), ("count", 4), ("strategy", "average"))));
        Assert.Equal("/link lastfm rj", DiscordCommands.ToText("link", Options(("service", "lastfm"), ("username", "rj"))));
    }

    [Fact]
    public void Every_command_name_is_one_the_chat_grammar_knows()
    {
        foreach (var command in DiscordCommands.Definitions())
        {
            Assert.Contains((string)command!["name"]!, CommandParser.Names);
        }
    }

    [Fact]
    public void The_bots_own_reactions_custom_and_nameless_emoji_are_skipped()
    {
        static GatewayDispatch Reaction(string user, JsonObject emoji) => new("MESSAGE_REACTION_ADD", 9, new JsonObject
        {
            ["user_id"] = user, ["channel_id"] = "2", ["message_id"] = "3", ["emoji"] = emoji,
        });

        Assert.IsType<InboundSkipped>(DiscordInboundParser.Parse(Reaction("bot", new JsonObject { ["id"] = null, ["name"] = "👍" }), "bot", Now));
        Assert.IsType<InboundSkipped>(DiscordInboundParser.Parse(Reaction("42", new JsonObject { ["id"] = "77", ["name"] = "blob" }), "bot", Now));
        Assert.IsType<InboundSkipped>(DiscordInboundParser.Parse(Reaction("42", new JsonObject { ["id"] = "78", ["name"] = null }), "bot", Now));
        var taken = Assert.IsType<InboundReaction>(DiscordInboundParser.Parse(Reaction("42", new JsonObject { ["id"] = null, ["name"] = "🔥" }), "bot", Now));
        Assert.Equal(("2", "3", "🔥", true), (taken.Event.ChatId, taken.Event.MessageId, taken.Event.Emoji, taken.Event.Added));
    }

    [Fact]
    public void A_malformed_interaction_is_skipped_not_thrown()
    {
        var inbound = DiscordInboundParser.Parse(new GatewayDispatch("INTERACTION_CREATE", 4, new JsonObject { ["id"] = "1" }), "bot", Now);

        Assert.StartsWith("unreadable", Assert.IsType<InboundSkipped>(inbound).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ten_track_list_fits_in_five_rows_of_unique_buttons_and_the_embed_limits()
    {
        var reply = new Reply(ReplyKind.Tracks, new string('T', 300), ["a line"],
            [.. Enumerable.Range(1, 10).Select(i => new TrackLine(i, i, new string('x', 500) + "*bold*", "Artist", "chill"))]);

        var message = DiscordRenderer.Render(reply);

        var rows = message["components"]!.AsArray();
        Assert.Equal(5, rows.Count);
        var ids = rows.SelectMany(r => r!["components"]!.AsArray()).Select(b => (string)b!["custom_id"]!).ToList();
        Assert.Equal(20, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id.Length, 1, 100));
        var embed = message["embeds"]![0]!;
        Assert.True(((string)embed["title"]!).Length <= DiscordRenderer.TitleLimit);
        Assert.True(((string)embed["description"]!).Length <= DiscordRenderer.DescriptionLimit);
        Assert.Contains("\\*bold\\*", (string)embed["description"]!, StringComparison.Ordinal);
        Assert.Empty(message["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public void A_lobby_gets_a_join_button_and_a_problem_plain_content()
    {
        var lobby = DiscordRenderer.Render(new Reply(ReplyKind.Lobby, "🎧 Group playlist: who's in?", ["In so far: Ana."], []));
        var problem = DiscordRenderer.Render(Reply.Problem("I don't know the mood \"blorp\"."));

        Assert.Equal("grp:join", (string)lobby["components"]![0]!["components"]![0]!["custom_id"]!);
        Assert.StartsWith("🤔 I don't know", (string)problem["content"]!, StringComparison.Ordinal);
        Assert.Null(problem["components"]);
    }
}
