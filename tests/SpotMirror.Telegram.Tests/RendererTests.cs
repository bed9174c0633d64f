using System.Text;
using SpotMirror.Chat;

namespace SpotMirror.Telegram.Tests;

public sealed class RendererTests
{
    private static Reply Tracks(int count, string title = "Chill picks") =>
        new(ReplyKind.Tracks, title, [], Enumerable.Range(1, count).Select(i => new TrackLine(i, 100 + i, $"Song {i}", $"Artist {i}", "chill + popular")).ToList());

    [Fact]
    public void Track_lines_carry_their_reason_and_the_last_message_carries_a_button_row_per_track()
    {
        var chunk = Assert.Single(TelegramRenderer.Render(Tracks(3)));

        Assert.Contains("1. <b>Song 1</b> — Artist 1", chunk.Html, StringComparison.Ordinal);
        Assert.Contains("<i>chill + popular</i>", chunk.Html, StringComparison.Ordinal);
        var rows = chunk.Keyboard!.InlineKeyboard.Select(r => r.ToList()).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["❤️ 2", "👍 2", "👎 2"], rows[1].Select(b => b.Text));
        Assert.Equal(["fb:l:2:102", "fb:u:2:102", "fb:d:2:102"], rows[1].Select(b => b.CallbackData));
    }

    [Fact]
    public void Every_callback_data_fits_in_64_bytes()
    {
        var chunk = TelegramRenderer.Render(Tracks(10))[^1];

        Assert.All(chunk.Keyboard!.InlineKeyboard.SelectMany(r => r), b => Assert.InRange(Encoding.UTF8.GetByteCount(b.CallbackData!), 1, 64));
    }

    [Fact]
    public void Markup_in_titles_and_names_is_escaped()
    {
        var reply = new Reply(ReplyKind.Tracks, "<b>&", [], [new TrackLine(1, 1, "A <3 B & C", "<script>", "because & why")]);

        var html = Assert.Single(TelegramRenderer.Render(reply)).Html;

        Assert.Contains("&lt;b&gt;&amp;", html, StringComparison.Ordinal);
        Assert.Contains("A &lt;3 B &amp; C", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_reply_is_split_under_the_limit_with_the_keyboard_on_the_last_part_only()
    {
        var longReason = new string('x', 900);
        var reply = new Reply(ReplyKind.Tracks, "Many", [], Enumerable.Range(1, 10).Select(i => new TrackLine(i, i, $"Song {i}", "A", longReason)).ToList());

        var chunks = TelegramRenderer.Render(reply);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.True(c.Html.Length <= TelegramRenderer.MessageLimit));
        Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Keyboard));
        Assert.NotNull(chunks[^1].Keyboard);
        Assert.Equal(10, chunks.Sum(c => c.Html.Split('\n').Count(l => l.Contains("<b>Song", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_line_longer_than_a_message_is_clipped_not_lost()
    {
        var chunks = TelegramRenderer.Render(Reply.Problem(new string('<', 10_000)));

        var chunk = Assert.Single(chunks);
        Assert.True(chunk.Html.Length <= TelegramRenderer.MessageLimit);
        Assert.EndsWith("…</b>", chunk.Html, StringComparison.Ordinal);
        Assert.Null(chunk.Keyboard);
    }

    [Fact]
    public void Problems_and_information_have_no_buttons()
    {
        Assert.Null(Assert.Single(TelegramRenderer.Render(Reply.Problem("I don't know the mood 'blorp'."))).Keyboard);
        Assert.Null(Assert.Single(TelegramRenderer.Render(Reply.Info("Help", "line"))).Keyboard);
    }

    [Fact]
    public void A_group_lobby_carries_one_join_button()
    {
        var lobby = new Reply(ReplyKind.Lobby, "🎧 Group playlist: who's in?", ["In so far: Ana."], []) { GroupSessionId = 4 };

        var button = Assert.Single(Assert.Single(Assert.Single(TelegramRenderer.Render(lobby)).Keyboard!.InlineKeyboard));

        Assert.Equal(("🎧 Join", "grp:join"), (button.Text, button.CallbackData));
    }

    [Theory]
    [InlineData("fb:u:3", "👍", 3, null)]
    [InlineData("fb:l:10", "❤️", 10, null)]
    [InlineData("fb:d:1", "👎", 1, null)]
    [InlineData("fb:u:3:812", "👍", 3, 812L)]
    public void Button_data_reads_back(string data, string emoji, int item, long? trackId)
    {
        Assert.True(FeedbackButtons.TryRead(data, out var e, out var i, out var t));
        Assert.Equal((emoji, item, trackId), (e, i, t));
    }

    [Fact]
    public void Every_feedback_button_carries_its_tracks_id_within_telegrams_64_bytes()
    {
        var reply = new Reply(ReplyKind.Tracks, "Chill for you:", [], [new TrackLine(1, 9_000_000_001, "A", "B", "r"), new TrackLine(10, 42, "C", "D", "r")]);

        var buttons = TelegramRenderer.Keyboard(reply).InlineKeyboard.SelectMany(row => row).ToList();

        Assert.Contains(buttons, b => b.CallbackData == "fb:u:1:9000000001");
        Assert.Contains(buttons, b => b.CallbackData == "fb:l:10:42");
        Assert.All(buttons, b => Assert.True(System.Text.Encoding.UTF8.GetByteCount(b.CallbackData!) <= 64));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fb:x:3")]
    [InlineData("fb:u:")]
    [InlineData("fb:u:0")]
    [InlineData("fb:u:-1")]
    [InlineData("fb:u3")]
    [InlineData("grp:join")]
    [InlineData("fb:u:3:x")]
    [InlineData("fb:u:3:4:5")]
    public void Foreign_or_broken_button_data_is_refused(string? data)
    {
        Assert.False(FeedbackButtons.TryRead(data, out _, out _, out _));
    }
}
