using System.Text.Json.Nodes;
using SpotMirror.Chat;
using SpotMirror.Core.Catalog;

namespace SpotMirror.Discord.Tests.Adapter;

/// <summary>Listen links on Discord: linked titles in the embed, ▶ link buttons (style 5) where the five rows allow, and More.</summary>
public sealed class LinkRenderingTests
{
    private static Reply List(int count) =>
        new(ReplyKind.Tracks, "Picked for you:", [],
            [.. Enumerable.Range(1, count).Select(i => new TrackLine(i, i, $"Song [{i}]", "Guns N' Roses", "chill") { Links = ListenLinker.Default.For("Guns N' Roses", $"Song [{i}]") })])
        {
            Buttons = [new ReplyButton("More ▸", ReplyActions.More("42"))],
        };

    private static List<JsonObject> Buttons(JsonObject message) =>
        [.. message["components"]!.AsArray().SelectMany(r => r!["components"]!.AsArray()).Cast<JsonObject>()];

    [Fact]
    public void A_five_track_list_gets_a_link_button_per_track_and_more_in_five_rows()
    {
        var message = DiscordRenderer.Render(List(5));

        Assert.Equal(5, message["components"]!.AsArray().Count);
        var links = Buttons(message).Where(b => (int)b["style"]! == 5).ToList();
        Assert.Equal(5, links.Count);
        Assert.All(links, b => Assert.Null(b["custom_id"]));
        Assert.Equal("https://open.spotify.com/search/Guns%20N%27%20Roses%20Song%20%5B1%5D", (string)links[0]["url"]!);
        Assert.Contains(Buttons(message), b => (string?)b["custom_id"] == "more:42");
        var description = (string)message["embeds"]![0]!["description"]!;
        Assert.Contains("**1. [Song \\[1\\]](https://www.last.fm/music/Guns+N%27+Roses/_/Song+%5B1%5D)**", description, StringComparison.Ordinal);
        Assert.Contains("[Apple Music](https://music.apple.com/us/search?term=", description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ten_track_list_keeps_every_feedback_button_and_more_and_leaves_the_link_buttons_to_the_embed()
    {
        var message = DiscordRenderer.Render(List(10));

        var rows = message["components"]!.AsArray();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.InRange(r!["components"]!.AsArray().Count, 1, 5));
        var ids = Buttons(message).Select(b => (string?)b["custom_id"]).ToList();
        Assert.Equal(21, ids.Distinct().Count());
        Assert.Contains("more:42", ids);
        Assert.Contains("fb:d:10", ids);
        Assert.True(((string)message["embeds"]![0]!["description"]!).Length <= DiscordRenderer.DescriptionLimit);
    }

    [Fact]
    public void A_mood_picker_is_a_short_content_with_a_button_per_mood()
    {
        var picker = Reply.Info("Pick a mood", "😌 /mood chill") with { Buttons = [new ReplyButton("😌 Chill", "mood:chill")] };

        var message = DiscordRenderer.Render(picker);

        Assert.Equal("Pick a mood", (string)message["content"]!);
        Assert.Equal("mood:chill", (string)Buttons(message).Single()["custom_id"]!);
    }
}
