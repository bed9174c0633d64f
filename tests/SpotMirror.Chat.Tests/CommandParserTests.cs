namespace SpotMirror.Chat.Tests;

public sealed class CommandParserTests
{
    [Theory]
    [InlineData("/mood chill", "chill", 5)]
    [InlineData("/mood chill 3", "chill", 3)]
    [InlineData("/mood@SpotMirrorBot chill", "chill", 5)]
    [InlineData("/MOOD   rainy sunday  7", "rainy sunday", 7)]
    [InlineData("/mood 😌", "😌", 5)]
    [InlineData("  /mood late night drive 10  ", "late night drive", 10)]
    public void Mood_takes_words_or_emoji_and_an_optional_count(string text, string query, int count) =>
        Assert.Equal(new MoodCommand(query, count), CommandParser.Parse(text));

    [Theory]
    [InlineData("/mood")]
    [InlineData("/mood@SpotMirrorBot")]
    [InlineData("  /MOOD  ")]
    public void Mood_alone_asks_for_the_picker(string text) =>
        Assert.IsType<MoodPickerCommand>(CommandParser.Parse(text));

    [Theory]
    [InlineData("/group", null, 5, null, false)]
    [InlineData("/group chill 8", "chill", 8, null, false)]
    [InlineData("/group@SpotMirrorBot rainy sunday strategy:average", "rainy sunday", 5, "average", false)]
    [InlineData("/group strategy:misery 3", null, 3, "misery", false)]
    [InlineData("/group go", null, 5, null, true)]
    [InlineData("/group GO", null, 5, null, true)]
    public void Group_takes_a_mood_a_count_and_a_strategy_or_go(string text, string? mood, int count, string? strategy, bool go) =>
        Assert.Equal(new GroupCommand(mood, count, strategy, go), CommandParser.Parse(text));

    [Theory]
    [InlineData("/similar Nightcall", "Nightcall")]
    [InlineData("/similar Take Five - The Dave Brubeck Quartet 3", "Take Five - The Dave Brubeck Quartet")]
    [InlineData("/similar 505", "505")]
    [InlineData("/similar 1", "1")]
    public void Similar_takes_a_track_or_artist(string text, string query) =>
        Assert.Equal(query, Assert.IsType<SimilarCommand>(CommandParser.Parse(text)).Query);

    [Fact]
    public void Similar_to_a_number_alone_reads_it_as_the_song_not_the_count() =>
        Assert.Equal(new SimilarCommand("505", CommandParser.DefaultCount), CommandParser.Parse("/similar 505"));

    [Theory]
    [InlineData("/recommend", 5)]
    [InlineData("/recommend 1", 1)]
    [InlineData("/recommend 10", 10)]
    public void Recommend_takes_a_count(string text, int count) =>
        Assert.Equal(new RecommendCommand(count), CommandParser.Parse(text));

    [Theory]
    [InlineData("/popular", null)]
    [InlineData("/popular hip-hop", "hip-hop")]
    [InlineData("/popular classic rock 3", "classic rock")]
    public void Popular_takes_an_optional_tag(string text, string? tag) =>
        Assert.Equal(tag, Assert.IsType<PopularCommand>(CommandParser.Parse(text)).Tag);

    [Theory]
    [InlineData("/forget", false)]
    [InlineData("/forget yes", true)]
    [InlineData("/forget YES", true)]
    [InlineData("/forget maybe", false)]
    public void Forget_needs_an_explicit_yes(string text, bool confirmed) =>
        Assert.Equal(new ForgetCommand(confirmed), CommandParser.Parse(text));

    [Theory]
    [InlineData("/help")]
    [InlineData("/start")]
    [InlineData("/help@SpotMirrorBot")]
    public void Help_and_start_show_help(string text) => Assert.IsType<HelpCommand>(CommandParser.Parse(text));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("hello there", "start with a slash")]
    [InlineData("/", "slash alone")]
    [InlineData("/mood 0", "1 to 10")]
    [InlineData("/mood chill 11", "1 to 10")]
    [InlineData("/mood chill -3", "1 to 10")]
    [InlineData("/mood chill 99999999999999999999", "1 to 10")]
    [InlineData("/similar", "Similar to what?")]
    [InlineData("/recommend lots", "only a number")]
    [InlineData("/mod chill", "Did you mean /mood?")]
    [InlineData("/reccomend", "Did you mean /recommend?")]
    [InlineData("/dance", "I don't know /dance")]
    [InlineData("/'; DROP TABLE users;--", "I don't know")]
    public void Bad_commands_get_a_sentence_that_says_what_would_work(string text, string expected)
    {
        var invalid = Assert.IsType<InvalidCommand>(CommandParser.Parse(text));
        Assert.Contains(expected, invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_very_long_message_is_refused_before_it_is_parsed()
    {
        var invalid = Assert.IsType<InvalidCommand>(CommandParser.Parse("/mood " + new string('a', 10_000)));
        Assert.Contains("too long", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_name_is_shortened_in_the_reply()
    {
        var invalid = Assert.IsType<InvalidCommand>(CommandParser.Parse("/" + new string('x', 200)));
        Assert.True(invalid.Message.Length < 120);
    }
}
