using System.Text;
using SpotMirror.Chat;
using SpotMirror.Core.Catalog;

namespace SpotMirror.Telegram.Tests;

/// <summary>Listen links on Telegram: the title links to the track's page, a ▶ URL button per track, More and a picker's moods as buttons.</summary>
public sealed class LinkRenderingTests
{
    private static Reply List(int count, string artist = "AC/DC", string title = "What? & Why") =>
        new(ReplyKind.Tracks, "Picked for you:", [],
            [.. Enumerable.Range(1, count).Select(i => new TrackLine(i, i, $"{title} {i}", artist, "chill") { Links = ListenLinker.Default.For(artist, $"{title} {i}") })])
        {
            Buttons = [new ReplyButton("More ▸", ReplyActions.More("7"))],
        };

    [Fact]
    public void Each_track_row_ends_in_a_play_button_opening_its_first_music_service_and_the_title_links_to_its_page()
    {
        var chunk = Assert.Single(TelegramRenderer.Render(List(3)));

        var rows = chunk.Keyboard!.InlineKeyboard.Select(r => r.ToList()).ToList();
        var play = rows[1][^1];
        Assert.Equal("▶ 2", play.Text);
        Assert.Equal("https://open.spotify.com/search/AC%2FDC%20What%3F%20%26%20Why%202", play.Url);
        Assert.Contains("<a href=\"https://www.last.fm/music/AC%2FDC/_/What%3F+%26+Why+1\"><b>What? &amp; Why 1</b></a>", chunk.Html, StringComparison.Ordinal);
        Assert.Contains(">YouTube Music</a>", chunk.Html, StringComparison.Ordinal);
        Assert.Equal(("More ▸", "more:7"), (rows[^1].Single().Text, rows[^1].Single().CallbackData));
    }

    [Fact]
    public void A_ten_track_list_with_links_stays_one_message_within_telegrams_button_limits()
    {
        var chunks = TelegramRenderer.Render(List(10, new string('A', 120), new string('T', 150)));

        var chunk = Assert.Single(chunks);
        Assert.True(chunk.Html.Length <= TelegramRenderer.MessageLimit);
        var buttons = chunk.Keyboard!.InlineKeyboard.SelectMany(r => r).ToList();
        Assert.Equal(41, buttons.Count);
        Assert.All(chunk.Keyboard.InlineKeyboard, row => Assert.InRange(row.Count(), 1, 8));
        Assert.All(buttons.Where(b => b.CallbackData is not null), b => Assert.InRange(Encoding.UTF8.GetByteCount(b.CallbackData!), 1, 64));
    }

    [Fact]
    public void A_mood_picker_is_its_title_and_a_keyboard_of_moods()
    {
        var picker = Reply.Info("Pick a mood", "😌 /mood chill", "😊 /mood happy") with
        {
            Buttons = [new ReplyButton("😌 Chill", "mood:chill"), new ReplyButton("😊 Happy", "mood:happy")],
        };

        var chunk = Assert.Single(TelegramRenderer.Render(picker));

        Assert.Equal("<b>Pick a mood</b>", chunk.Html);
        Assert.Equal(["mood:chill", "mood:happy"], chunk.Keyboard!.InlineKeyboard.SelectMany(r => r).Select(b => b.CallbackData));
    }
}
